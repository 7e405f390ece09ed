// The channel-vectorised max pooling against the reference, with channel counts around the
// vector width, odd sizes, overlapping and gapped windows, and ties.
#include <doctest/doctest.h>

#include <array>

#include "kernels/simd.h"
#include "nn/ops/pool.h"
#include "test_util.h"

namespace dt {
namespace {

TEST_CASE("maxpool simd matches the reference, forward and backward") {
  const int W = simd::kWidth;
  for (int C : {1, W - 1, W, W + 1, 2 * W + 3, 32})
    for (auto geo : {std::array<int, 4>{5, 5, 2, 2}, {7, 6, 3, 2}, {4, 4, 2, 1}, {26, 26, 2, 2}, {7, 7, 2, 3}}) {
      if (C <= 0) continue;
      const int H = geo[0], Wd = geo[1], size = geo[2], stride = geo[3];
      const PoolGeometry g{H, Wd, C, size, stride, (H - size) / stride + 1, (Wd - size) / stride + 1};
      const int N = 2;
      auto x = test::random_floats(static_cast<size_t>(N) * H * Wd * C, C * 7 + H);
      for (size_t i = 0; i < x.size(); i += 5) x[i] = 0.25f;  // ties: the first in window order wins
      for (size_t i = 1; i < x.size(); i += 7) x[i] = 1.5f;   // and ties at a window's maximum
      const size_t out_n = static_cast<size_t>(N) * g.OH * g.OW * C;
      std::vector<float> y_ref(out_n), y(out_n);
      std::vector<int32_t> argmax(out_n);
      maxpool_forward_ref(y_ref.data(), argmax.data(), x.data(), g, N);
      maxpool_forward_simd(y.data(), x.data(), g, N);
      INFO("C=" << C << " H=" << H << " W=" << Wd << " size=" << size << " stride=" << stride);
      CHECK(test::first_mismatch(y, y_ref, 0) == -1);

      const auto dy = test::random_floats(out_n, C + 11);
      std::vector<float> dx_ref(x.size()), dx(x.size(), 123.0f);  // stale values must be overwritten
      maxpool_backward_ref(dx_ref.data(), dy.data(), argmax.data(), g, N);
      maxpool_backward_simd(dx.data(), dy.data(), x.data(), y.data(), g, N);
      CHECK(test::first_mismatch(dx, dx_ref, 1e-6f) == -1);
    }
}

}  // namespace
}  // namespace dt
