// Finite-difference gradient checking in double precision. For a scalar function of the
// inputs L(x) = sum(f(x) * r) with a fixed random r, the analytic gradient (the backward
// given dout = r) must match (L(x + h) - L(x - h)) / 2h at every element.
#pragma once
#include <cmath>
#include <functional>
#include <vector>

#include <doctest/doctest.h>

namespace dt::test {

// forward(x) returns the output vector; grad is the analytic d(sum(out * r))/dx.
inline void check_gradient(const char* what, std::vector<double>& x,
                           const std::function<std::vector<double>(const std::vector<double>&)>& forward,
                           const std::vector<double>& r, const std::vector<double>& grad, double h = 1e-6,
                           double tol = 1e-6) {
  REQUIRE(grad.size() == x.size());
  for (size_t i = 0; i < x.size(); ++i) {
    const double keep = x[i];
    x[i] = keep + h;
    auto up = forward(x);
    x[i] = keep - h;
    auto down = forward(x);
    x[i] = keep;
    double lu = 0, ld = 0;
    for (size_t k = 0; k < up.size(); ++k) {
      lu += up[k] * r[k];
      ld += down[k] * r[k];
    }
    const double numeric = (lu - ld) / (2 * h);
    INFO(what << ": element " << i << " analytic " << grad[i] << " numeric " << numeric);
    REQUIRE(std::fabs(numeric - grad[i]) <= tol * (1.0 + std::fabs(numeric)));
  }
}

}  // namespace dt::test
