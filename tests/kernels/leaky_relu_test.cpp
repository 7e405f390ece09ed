// Leaky ReLU kernels: SIMD against the scalar reference at sizes below, equal to, multiples
// of and just above the vector width, for several slopes; forward in place.
#include <doctest/doctest.h>

#include <vector>

#include "kernels/leaky_relu.h"
#include "kernels/simd.h"
#include "test_util.h"

namespace dt {
namespace {

constexpr int W = simd::kWidth;

TEST_CASE("leaky relu forward and backward: simd matches reference") {
  for (float alpha : {0.01f, 0.2f, 0.0f, -0.5f}) {
    for (int n : {0, 1, W - 1, W, W + 1, 2 * W, 3 * W + 2, 1000}) {
      if (n < 0) continue;
      CAPTURE(n);
      CAPTURE(alpha);
      auto x = test::random_floats(static_cast<size_t>(n), 1);
      auto dy = test::random_floats(static_cast<size_t>(n), 2);
      if (n > 2) x[1] = 0.0f;  // the kink itself: both take the negative side
      std::vector<float> y_ref(n), y_simd(n), dx_ref(n), dx_simd(n);
      leaky_relu_forward_ref(y_ref.data(), x.data(), n, alpha);
      leaky_relu_forward_simd(y_simd.data(), x.data(), n, alpha);
      CHECK(test::first_mismatch(y_simd, y_ref, 0.0) == -1);
      leaky_relu_backward_ref(dx_ref.data(), dy.data(), x.data(), n, alpha);
      leaky_relu_backward_simd(dx_simd.data(), dy.data(), x.data(), n, alpha);
      CHECK(test::first_mismatch(dx_simd, dx_ref, 0.0) == -1);
    }
  }
}

TEST_CASE("leaky relu forward in place") {
  auto x = test::random_floats(static_cast<size_t>(2 * W + 1), 3);
  std::vector<float> want(x.size());
  leaky_relu_forward_ref(want.data(), x.data(), x.size(), 0.1f);
  leaky_relu_forward_simd(x.data(), x.data(), x.size(), 0.1f);
  CHECK(test::first_mismatch(x, want, 0.0) == -1);
}

}  // namespace
}  // namespace dt
