// Elapsed wall-clock time, for speeds, time budgets and reports. A steady clock: it never jumps
// when the system's time is set.
#pragma once
#include <chrono>

namespace dt {

class Stopwatch {
 public:
  Stopwatch() : start_(Clock::now()) {}
  void restart() { start_ = Clock::now(); }
  double seconds() const { return std::chrono::duration<double>(Clock::now() - start_).count(); }

 private:
  using Clock = std::chrono::steady_clock;
  Clock::time_point start_;
};

}  // namespace dt
