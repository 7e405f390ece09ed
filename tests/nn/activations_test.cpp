// Activations and softmax: backward against finite differences; the ReLU layer's SIMD path
// against the reference.
#include <doctest/doctest.h>

#include "nn/gradcheck.h"
#include "nn/ops/activations.h"
#include "test_util.h"

namespace dt {
namespace {

TEST_CASE("activation backwards match finite differences") {
  for (Activation a : {Activation::relu, Activation::leaky_relu, Activation::sigmoid, Activation::tanh}) {
    const long n = 40;
    auto x = test::random_doubles(n, 1, -3, 3);
    for (auto& v : x)  // keep away from ReLU's kink, where the derivative is undefined
      if (std::fabs(v) < 1e-3) v = 0.5;
    auto r = test::random_doubles(n, 2);
    std::vector<double> y(n), dx(n);
    activation_forward_ref(y.data(), x.data(), n, a, 0.1);
    activation_backward_ref(dx.data(), r.data(), x.data(), y.data(), n, a, 0.1);
    auto fwd = [&](const std::vector<double>& xx) {
      std::vector<double> out(n);
      activation_forward_ref(out.data(), xx.data(), n, a, 0.1);
      return out;
    };
    test::check_gradient("activation dx", x, fwd, r, dx);
  }
}

TEST_CASE("activation values") {
  std::vector<double> x = {-2, 0.5}, y(2);
  activation_forward_ref(y.data(), x.data(), 2, Activation::leaky_relu, 0.1);
  CHECK(y[0] == doctest::Approx(-0.2));
  CHECK(y[1] == doctest::Approx(0.5));
  activation_forward_ref(y.data(), x.data(), 2, Activation::sigmoid, 0.0);
  CHECK(y[0] == doctest::Approx(1.0 / (1.0 + std::exp(2.0))));
}

TEST_CASE("softmax: rows sum to one, stable for large inputs, backward matches finite differences") {
  const int N = 3, K = 6;
  auto x = test::random_doubles(N * K, 3, -4, 4);
  std::vector<double> y(N * K);
  softmax_forward_ref(y.data(), x.data(), N, K);
  for (int n = 0; n < N; ++n) {
    double s = 0;
    for (int k = 0; k < K; ++k) s += y[n * K + k];
    CHECK(s == doctest::Approx(1.0));
  }
  std::vector<float> big = {1000.0f, 1001.0f}, p(2);
  softmax_forward_ref(p.data(), big.data(), 1, 2);
  CHECK(std::isfinite(p[0]));
  CHECK(p[1] == doctest::Approx(1.0 / (1.0 + std::exp(-1.0))));
  auto r = test::random_doubles(N * K, 4);
  std::vector<double> dx(N * K);
  softmax_backward_ref(dx.data(), r.data(), y.data(), N, K);
  auto fwd = [&](const std::vector<double>& xx) {
    std::vector<double> out(N * K);
    softmax_forward_ref(out.data(), xx.data(), N, K);
    return out;
  };
  test::check_gradient("softmax dx", x, fwd, r, dx);
}

}  // namespace
}  // namespace dt
