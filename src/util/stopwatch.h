// Elapsed wall-clock time, for speeds, time budgets and reports. A steady clock: it never jumps
// when the system's time is set.
#pragma once
#include <algorithm>
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

// The best time in seconds of `reps` calls of fn, after at least `warmup` calls and a tenth of
// a second of them: in a browser the optimising compiler works in the background, so warming
// up by count alone can time baseline code. The best, not the mean: on a shared machine every
// other measure mixes in the neighbours' work.
template <class F>
double best_seconds(int warmup, int reps, F&& fn) {
  Stopwatch warming;
  for (int i = 0; i < warmup || warming.seconds() < 0.1; ++i) fn();
  double best = 1e30;
  for (int r = 0; r < reps; ++r) {
    Stopwatch call;
    fn();
    best = std::min(best, call.seconds());
  }
  return best;
}

}  // namespace dt
