// One layer of an architecture, as data: its kind and that kind's own typed parameters.
//
// A layer kind is a parameter struct kept in the layer's own file (nn/layers/*_layer.h), e.g.
//
//   struct DenseParams {
//     static constexpr const char* kName = "dense";    // as written in JSON and shown to users
//     int units = 0;
//     void fields(FieldVisitor& v) { v.whole("units", units); }   // JSON in and out
//     std::string describe() const;                                // "64", after the name
//     Result<std::unique_ptr<Layer>> build(Shape3 in) const;       // the factory
//   };
//
// and a LayerSpec holds any of them. Every piece is required: a kind without one of them does
// not compile where it is registered (layer_registry.h) or used.
#pragma once
#include <climits>
#include <memory>
#include <optional>
#include <string>
#include <type_traits>
#include <typeinfo>

#include "nn/layer.h"
#include "util/result.h"

namespace dt {

// The parameters of a kind, visited by name: the JSON reader fills them (checking types and
// ranges), the writer emits them. A field without a fallback is required in JSON.
class FieldVisitor {
 public:
  virtual ~FieldVisitor() = default;
  // A whole number in [1, kMaxWhole]: every integer in an architecture is a count or a size,
  // and the bound keeps the layers' shape arithmetic far from int overflow.
  static constexpr int kMaxWhole = 1 << 20;
  virtual void whole(const char* key, int& value, std::optional<int> fallback = std::nullopt) = 0;
  virtual void number(const char* key, float& value, std::optional<float> fallback = std::nullopt) = 0;
  // A two-way choice spelled as strings, e.g. padding "same" (true) or "valid" (false).
  virtual void choice(const char* key, bool& value, const char* if_true, const char* if_false, bool fallback) = 0;
};

// A parameter as describe() shows it: the shortest form that reads back as the same float
// ("0.5", "0.01", "0.1307").
std::string number_text(float value);

class LayerSpec {
 public:
  template <class P, class = std::enable_if_t<!std::is_same_v<std::decay_t<P>, LayerSpec>>>
  LayerSpec(P params) : impl_(std::make_unique<Holder<P>>(std::move(params))) {}  // NOLINT: any kind converts
  LayerSpec(const LayerSpec& o) : impl_(o.impl_->clone()) {}
  LayerSpec& operator=(const LayerSpec& o) {
    impl_ = o.impl_->clone();
    return *this;
  }
  LayerSpec(LayerSpec&&) = default;
  LayerSpec& operator=(LayerSpec&&) = default;

  const char* kind() const { return impl_->name(); }
  // The typed parameters when this layer is of kind P, else null.
  template <class P>
  const P* as() const {
    return impl_->type() == typeid(P) ? &static_cast<const Holder<P>&>(*impl_).params : nullptr;
  }
  template <class P>
  P* as() {
    return impl_->type() == typeid(P) ? &static_cast<Holder<P>&>(*impl_).params : nullptr;
  }
  template <class P>
  bool is() const { return as<P>() != nullptr; }

  // One short human line, e.g. "conv2d 32 3x3 valid".
  std::string describe() const;
  // The layer for input shape `in`; fails with a message when the parameters do not fit it.
  Result<std::unique_ptr<Layer>> build(const Shape3& in) const { return impl_->build(in); }
  void fields(FieldVisitor& v) { impl_->fields(v); }

 private:
  struct Erased {
    virtual ~Erased() = default;
    virtual const char* name() const = 0;
    virtual const std::type_info& type() const = 0;
    virtual std::string suffix() const = 0;
    virtual Result<std::unique_ptr<Layer>> build(const Shape3& in) const = 0;
    virtual void fields(FieldVisitor& v) = 0;
    virtual std::unique_ptr<Erased> clone() const = 0;
  };
  template <class P>
  struct Holder final : Erased {
    explicit Holder(P p) : params(std::move(p)) {}
    const char* name() const override { return P::kName; }
    const std::type_info& type() const override { return typeid(P); }
    std::string suffix() const override { return params.describe(); }
    Result<std::unique_ptr<Layer>> build(const Shape3& in) const override { return params.build(in); }
    void fields(FieldVisitor& v) override { params.fields(v); }
    std::unique_ptr<Erased> clone() const override { return std::make_unique<Holder>(params); }
    P params;
  };
  std::unique_ptr<Erased> impl_;
};

}  // namespace dt
