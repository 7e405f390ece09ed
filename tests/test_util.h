// Helpers shared by the test suites.
#pragma once
#include <algorithm>
#include <cmath>
#include <vector>

#include "util/rng.h"

namespace dt::test {

inline std::vector<float> random_floats(size_t n, uint64_t seed, float lo = -1.0f, float hi = 1.0f) {
  Rng rng(seed);
  std::vector<float> v(n);
  for (auto& x : v) x = rng.uniform(lo, hi);
  return v;
}

inline std::vector<double> random_doubles(size_t n, uint64_t seed, double lo = -1.0, double hi = 1.0) {
  Rng rng(seed);
  std::vector<double> v(n);
  for (auto& x : v) x = lo + (hi - lo) * rng.uniform();
  return v;
}

// The first index where got and want differ by more than (|want| + 1) * tol, or -1.
template <class T>
long first_mismatch(const std::vector<T>& got, const std::vector<T>& want, double tol) {
  if (got.size() != want.size()) return 0;
  for (size_t i = 0; i < got.size(); ++i)
    if (!(std::fabs(double(got[i]) - double(want[i])) <= (std::fabs(double(want[i])) + 1.0) * tol)) return long(i);
  return -1;
}

}  // namespace dt::test
