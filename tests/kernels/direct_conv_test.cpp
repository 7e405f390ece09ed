// Direct one-channel convolution (kernels/direct_conv.h): each SIMD op against its scalar
// reference at output channel counts below, equal to, multiples of and just above the vector
// width and the register tiles (kernels/direct_conv_simd.cpp), with output rows shorter and
// longer than a forward tile, kernels 1x1 to 5x5 (weight-gradient tap blocks of every size),
// strides 1 to 3 and planes wider than the windows read; the input gradient as the adjoint of
// the forward: <x (*) w, y> == <x, backward_input(y)>.
#include <doctest/doctest.h>

#include <vector>

#include "kernels/direct_conv.h"
#include "kernels/simd.h"
#include "test_util.h"

namespace dt {
namespace {

constexpr int W = simd::kWidth;
const int kChannels[] = {1, W - 1, W, W + 1, 2 * W, 4 * W, 8 * W + 3};

struct Shape {
  int XH, XW, K, stride;
};
// 28x28 3x3 (keras-cnn), 32x32 5x5 (a padded 28x28 'same'), a single output, strides 2 and 3,
// a plane with a column no window reads.
const Shape kShapes[] = {{28, 28, 3, 1}, {32, 32, 5, 1}, {3, 3, 3, 1}, {9, 11, 3, 2}, {10, 13, 4, 3}, {7, 12, 1, 1}, {6, 6, 2, 1}};

PlaneConv plane_of(const Shape& s, int OC) {
  return PlaneConv{s.XH, s.XW, s.K, s.K, s.stride, (s.XH - s.K) / s.stride + 1, (s.XW - s.K) / s.stride + 1, OC};
}

TEST_CASE("direct conv simd matches the reference: forward, weight and input gradients") {
  for (const Shape& sh : kShapes)
    for (int OC : kChannels) {
      const PlaneConv g = plane_of(sh, OC);
      INFO("plane " << g.XH << "x" << g.XW << " K=" << sh.K << " stride=" << g.stride << " OC=" << OC);
      const int n = 3;
      const long P = static_cast<long>(g.KH) * g.KW;
      const auto x = test::random_floats(n * g.plane(), 1);
      const auto w = test::random_floats(P * OC, 2), b = test::random_floats(OC, 3);
      const auto dy = test::random_floats(static_cast<size_t>(n) * g.OH * g.OW * OC, 4);
      std::vector<float> y_ref(dy.size(), 7.0f), y(dy.size(), -7.0f);
      direct_conv_forward_ref(y_ref.data(), x.data(), w.data(), b.data(), g, n);
      direct_conv_forward_simd(y.data(), x.data(), w.data(), b.data(), g, n);
      CHECK(test::first_mismatch(y, y_ref, 1e-5) == -1);

      const auto dw0 = test::random_floats(P * OC + OC, 5);  // dw then db, accumulated into
      auto g_ref = dw0, g_simd = dw0;
      direct_conv_backward_weights_ref(g_ref.data(), g_ref.data() + P * OC, dy.data(), x.data(), g, n);
      direct_conv_backward_weights_simd(g_simd.data(), g_simd.data() + P * OC, dy.data(), x.data(), g, n);
      CHECK(test::first_mismatch(g_simd, g_ref, 1e-4) == -1);

      const auto dx0 = test::random_floats(x.size(), 6);  // accumulated into
      auto dx_ref = dx0, dx = dx0;
      direct_conv_backward_input_ref(dx_ref.data(), dy.data(), w.data(), g, n);
      direct_conv_backward_input_simd(dx.data(), dy.data(), w.data(), g, n);
      CHECK(test::first_mismatch(dx, dx_ref, 1e-4) == -1);
    }
}

TEST_CASE("direct conv input gradient is the adjoint of the forward") {
  for (const Shape& sh : kShapes) {
    const PlaneConv g = plane_of(sh, 5);
    const int n = 2;
    const auto x = test::random_floats(n * g.plane(), 7);
    const auto w = test::random_floats(static_cast<size_t>(g.KH) * g.KW * g.OC, 8);
    const std::vector<float> zero_bias(g.OC, 0.0f);
    const auto y = test::random_floats(static_cast<size_t>(n) * g.OH * g.OW * g.OC, 9);
    std::vector<float> fx(y.size()), aty(x.size(), 0.0f);
    direct_conv_forward_ref(fx.data(), x.data(), w.data(), zero_bias.data(), g, n);
    direct_conv_backward_input_ref(aty.data(), y.data(), w.data(), g, n);
    double lhs = 0, rhs = 0;
    for (size_t i = 0; i < y.size(); ++i) lhs += double(fx[i]) * y[i];
    for (size_t i = 0; i < x.size(); ++i) rhs += double(x[i]) * aty[i];
    CHECK(lhs == doctest::Approx(rhs).epsilon(1e-4));
  }
}

}  // namespace
}  // namespace dt
