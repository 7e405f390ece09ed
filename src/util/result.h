// Errors a user can cause (bad files, bad flags, bad config) travel as values, never as
// exit() or abort(): library code runs inside a Web Worker, where either would kill the page's
// trainer. A Result carries either a value or one message that says what was wrong and what
// to do about it.
#pragma once
#include <optional>
#include <string>
#include <utility>

namespace dt {

struct Error {
  std::string message;
};

template <class T>
class Result {
 public:
  Result(T value) : value_(std::move(value)) {}  // NOLINT: implicit by design
  Result(Error error) : error_(std::move(error.message)) {}  // NOLINT
  bool ok() const { return value_.has_value(); }
  explicit operator bool() const { return ok(); }
  const std::string& error() const { return error_; }
  T& value() { return *value_; }
  const T& value() const { return *value_; }
  T& operator*() { return *value_; }
  const T& operator*() const { return *value_; }
  T* operator->() { return &*value_; }
  const T* operator->() const { return &*value_; }

 private:
  std::optional<T> value_;
  std::string error_;
};

// For operations that produce nothing but may fail.
struct Status {
  std::string error;  // empty when ok
  bool ok() const { return error.empty(); }
  explicit operator bool() const { return ok(); }
  static Status success() { return {}; }
};

inline Status fail(std::string message) { return Status{std::move(message)}; }

}  // namespace dt
