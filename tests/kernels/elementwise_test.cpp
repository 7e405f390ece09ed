// Each element-wise SIMD kernel against its reference, at sizes around the vector width.
#include <doctest/doctest.h>

#include <cmath>
#include <limits>

#include "kernels/elementwise.h"
#include "kernels/simd.h"
#include "test_util.h"

namespace dt {
namespace {

std::vector<int> edge_sizes() {
  const int W = simd::kWidth;
  return {1, W - 1, W, W + 1, 2 * W, 3 * W + 2, 64, 97};
}

TEST_CASE("relu forward and backward: simd matches reference") {
  for (int n : edge_sizes()) {
    if (n <= 0) continue;
    auto x = test::random_floats(n, n);
    auto dy = test::random_floats(n, n + 100);
    std::vector<float> y_ref(n), y_simd(n), dx_ref(n), dx_simd(n);
    relu_forward_ref(y_ref.data(), x.data(), n);
    relu_forward_simd(y_simd.data(), x.data(), n);
    CHECK(test::first_mismatch(y_simd, y_ref, 0) == -1);
    relu_backward_ref(dx_ref.data(), dy.data(), y_ref.data(), n);
    relu_backward_simd(dx_simd.data(), dy.data(), y_ref.data(), n);
    CHECK(test::first_mismatch(dx_simd, dx_ref, 0) == -1);
  }
}

TEST_CASE("relu in place") {
  std::vector<float> x = {-1, 2, -3, 4, 0, -0.5f, 7, 8, -9};
  relu_forward_simd(x.data(), x.data(), x.size());
  CHECK(x == std::vector<float>{0, 2, 0, 4, 0, 0, 7, 8, 0});
}

TEST_CASE("bias add and row sums: simd matches reference") {
  for (int cols : edge_sizes()) {
    if (cols <= 0) continue;
    for (int rows : {1, 3, 8}) {
      auto y0 = test::random_floats(static_cast<size_t>(rows) * cols, rows * 7 + cols);
      auto bias = test::random_floats(cols, cols + 1);
      auto y_ref = y0, y_simd = y0;
      add_bias_rows_ref(y_ref.data(), bias.data(), rows, cols);
      add_bias_rows_simd(y_simd.data(), bias.data(), rows, cols);
      CHECK(test::first_mismatch(y_simd, y_ref, 1e-6) == -1);
      auto s_ref = bias, s_simd = bias;  // accumulates into existing values
      sum_rows_ref(s_ref.data(), y0.data(), rows, cols);
      sum_rows_simd(s_simd.data(), y0.data(), rows, cols);
      CHECK(test::first_mismatch(s_simd, s_ref, 1e-5) == -1);
    }
  }
}

TEST_CASE("add_into: simd matches reference") {
  for (int n : edge_sizes()) {
    if (n <= 0) continue;
    auto x = test::random_floats(n, 5 * n);
    auto y0 = test::random_floats(n, 6 * n);
    auto y_ref = y0, y_simd = y0;
    add_into_ref(y_ref.data(), x.data(), n);
    add_into_simd(y_simd.data(), x.data(), n);
    CHECK(test::first_mismatch(y_simd, y_ref, 0) == -1);
  }
}

}  // namespace
}  // namespace dt

namespace dt {
namespace {

TEST_CASE("all_finite: simd matches reference; one NaN or infinity anywhere is found") {
  const int W = simd::kWidth;
  for (int n : {0, 1, W - 1, W, W + 1, 2 * W + 3, 1000}) {
    if (n < 0) continue;
    auto x = test::random_floats(static_cast<size_t>(n), 11, -1e38f, 1e38f);  // huge but finite
    CHECK(all_finite_ref(x.data(), x.size()));
    CHECK(all_finite_simd(x.data(), x.size()));
    for (int at : {0, n / 2, n - 1}) {
      if (n == 0) break;
      for (float bad : {std::nanf(""), std::numeric_limits<float>::infinity(), -std::numeric_limits<float>::infinity()}) {
        CAPTURE(n);
        CAPTURE(at);
        const float keep = x[at];
        x[at] = bad;
        CHECK_FALSE(all_finite_ref(x.data(), x.size()));
        CHECK_FALSE(all_finite_simd(x.data(), x.size()));
        x[at] = keep;
      }
    }
  }
}

}  // namespace
}  // namespace dt
