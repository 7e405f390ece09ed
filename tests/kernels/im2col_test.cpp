// im2col + GEMM must compute exactly the convolution the direct reference loops define, and
// col2im must be im2col's adjoint: <im2col(x), c> == <x, col2im(c)>.
#include <doctest/doctest.h>

#include <array>

#include "kernels/gemm.h"
#include "kernels/im2col.h"
#include "nn/ops/conv2d.h"
#include "test_util.h"

namespace dt {
namespace {

ConvGeometry geometry(int H, int W, int C, int K, int stride, int pad) {
  ConvGeometry g{H, W, C, K, K, stride, pad, pad, 0, 0};
  g.OH = (H + 2 * pad - K) / stride + 1;
  g.OW = (W + 2 * pad - K) / stride + 1;
  return g;
}

TEST_CASE("im2col + gemm equals direct convolution") {
  for (const auto& c : std::vector<std::array<int, 7>>{
           {5, 5, 1, 3, 1, 0, 4}, {7, 6, 3, 3, 2, 1, 5}, {9, 9, 2, 5, 1, 2, 7}, {4, 7, 5, 1, 1, 0, 3}, {6, 6, 3, 4, 2, 1, 9}}) {
    const int H = c[0], W = c[1], C = c[2], K = c[3], S = c[4], P = c[5], OC = c[6];
    const ConvGeometry g = geometry(H, W, C, K, S, P);
    const int N = 2;
    auto x = test::random_floats(static_cast<size_t>(N) * H * W * C, H * 100 + C);
    auto w = test::random_floats(static_cast<size_t>(g.patch()) * OC, K * 10 + OC);
    std::vector<float> b(OC, 0.0f), want(static_cast<size_t>(N) * g.OH * g.OW * OC), got(want.size());
    conv2d_forward_ref(want.data(), x.data(), w.data(), b.data(), g, OC, N);
    std::vector<float> col(static_cast<size_t>(N) * g.OH * g.OW * g.patch());
    im2col(col.data(), x.data(), g, N);
    gemm_f32_simd(got.data(), OC, col.data(), g.patch(), 1, w.data(), OC, N * g.OH * g.OW, OC, g.patch(), false);
    INFO("H=" << H << " W=" << W << " C=" << C << " K=" << K << " stride=" << S << " pad=" << P);
    CHECK(test::first_mismatch(got, want, 1e-5) == -1);
  }
}

TEST_CASE("col2im is the adjoint of im2col") {
  const ConvGeometry g = geometry(7, 5, 3, 3, 2, 1);
  const int N = 2;
  auto x = test::random_doubles(static_cast<size_t>(N) * 7 * 5 * 3, 1);
  auto c = test::random_doubles(static_cast<size_t>(N) * g.OH * g.OW * g.patch(), 2);
  std::vector<float> xf(x.begin(), x.end()), cf(c.begin(), c.end());
  std::vector<float> col(cf.size()), back(xf.size());
  im2col(col.data(), xf.data(), g, N);
  col2im(back.data(), cf.data(), g, N);
  double lhs = 0, rhs = 0;
  for (size_t i = 0; i < col.size(); ++i) lhs += double(col[i]) * cf[i];
  for (size_t i = 0; i < back.size(); ++i) rhs += double(back[i]) * xf[i];
  CHECK(lhs == doctest::Approx(rhs).epsilon(1e-5));
}

TEST_CASE("transpose") {
  std::vector<float> in = {1, 2, 3, 4, 5, 6}, out(6);
  transpose(out.data(), in.data(), 2, 3);
  CHECK(out == std::vector<float>{1, 4, 2, 5, 3, 6});
  auto big = test::random_floats(37 * 19, 3);
  std::vector<float> t(big.size()), tt(big.size());
  transpose(t.data(), big.data(), 37, 19);
  transpose(tt.data(), t.data(), 19, 37);
  CHECK(tt == big);
}

}  // namespace
}  // namespace dt
