// The Winograd F(2x2,3x3) convolution (nn/conv/winograd_conv.h), built directly whatever the
// registry would choose: forward, input gradient and weight/bias gradients against the direct
// reference (nn/ops/conv2d.h, in double) and against im2col + GEMM, at channel counts 1, 3, 32
// and 64, 'valid' and 'same', sizes 5 to 28 with odd outputs (partial edge tiles); its
// backward against finite differences of its own forward; and the registry's choice.
#include <doctest/doctest.h>

#include <algorithm>
#include <vector>

#include "nn/conv/conv_algorithm.h"
#include "nn/conv/direct_conv.h"
#include "nn/conv/winograd_conv.h"
#include "nn/conv_algorithm_check.h"
#include "nn/ops/conv2d.h"
#include "test_util.h"

namespace dt {
namespace {

struct Case {
  int H, W, C, OC;
  bool same;
};

// keras-cnn's three convolutions (28x28x1 -> 32, 13x13x32 -> 64, 5x5x64 -> 64) among them.
const Case kCases[] = {{5, 5, 1, 1, false},     {5, 7, 3, 3, true},     {6, 6, 1, 32, false},  {8, 9, 3, 64, true},
                       {11, 11, 32, 3, false},  {13, 13, 32, 64, false}, {5, 5, 64, 64, false}, {12, 10, 64, 32, true},
                       {28, 28, 1, 32, false},  {28, 28, 3, 1, true},    {15, 15, 32, 32, true}, {7, 6, 64, 1, false},
                       {14, 14, 64, 64, true}};

ConvGeometry geometry_of(const Case& c) {
  const int pad = c.same ? 1 : 0;  // 3x3, stride 1: 'same' pads one pixel on every side
  return ConvGeometry{c.H, c.W, c.C, 3, 3, 1, pad, pad, c.H + 2 * pad - 2, c.W + 2 * pad - 2};
}

TEST_CASE("winograd conv matches the reference and im2col + gemm in all three passes") {
  for (const Case& c : kCases) {
    const ConvGeometry g = geometry_of(c);
    INFO("H=" << c.H << " W=" << c.W << " C=" << c.C << " OC=" << c.OC << " same=" << c.same);
    REQUIRE(winograd_conv_applies(g));
    test::check_against_reference(*make_winograd_conv(g, c.OC), g, c.OC, 2);
  }
}

// Attribution asks for the input gradient alone, a first layer for the parameters' alone.
TEST_CASE("winograd conv backward of one gradient alone matches both at once") {
  const Case c{13, 13, 32, 16, false};  // 3 blocks of tiles at 2 samples
  const ConvGeometry g = geometry_of(c);
  auto algorithm = make_winograd_conv(g, c.OC);
  const int N = 2;
  const auto x = test::random_floats(static_cast<size_t>(N) * c.H * c.W * c.C, 8);
  const auto params = test::random_floats(9L * c.C * c.OC + c.OC, 9);
  const auto dy = test::random_floats(static_cast<size_t>(N) * g.OH * g.OW * c.OC, 10);
  const std::vector<float> zeros(params.size(), 0.0f);
  const auto both = test::run_passes(*algorithm, g, c.OC, N, x, params, dy, zeros);
  const auto dx_only = test::run_passes(*algorithm, g, c.OC, N, x, params, dy, zeros, true, false);
  CHECK(test::first_mismatch(dx_only.dx, both.dx, 0.0) == -1);
  const auto grads_only = test::run_passes(*algorithm, g, c.OC, N, x, params, dy, zeros, false, true);
  CHECK(test::first_mismatch(grads_only.grads, both.grads, 0.0) == -1);
}

TEST_CASE("winograd conv backward matches finite differences of its forward") {
  for (const Case& c : {Case{6, 5, 2, 3, true}, Case{5, 5, 3, 2, false}, Case{4, 7, 1, 4, true}}) {
    const ConvGeometry g = geometry_of(c);
    INFO("H=" << c.H << " W=" << c.W << " C=" << c.C << " OC=" << c.OC << " same=" << c.same);
    test::check_conv_gradients("winograd", *make_winograd_conv(g, c.OC), g, c.OC, 2);
  }
}

TEST_CASE("the registry chooses winograd exactly where it was measured faster") {
  for (const Case& c : kCases) {
    const ConvGeometry g = geometry_of(c);
    const bool pays = winograd_conv_pays(g, c.OC);
    CAPTURE(c.C);
    CAPTURE(c.OC);
    // One input channel goes to the direct convolution (nn/conv/direct_conv.h) where it pays.
    const char* other = direct_conv_pays(g, c.OC) ? "direct" : "im2col+gemm";
    CHECK(std::string(conv_algorithms().choose(g, c.OC)->name()) == (pays ? "winograd" : other));
  }
  // Never a geometry it cannot compute: stride 2, or a 5x5 kernel.
  CHECK_FALSE(winograd_conv_pays(ConvGeometry{13, 13, 64, 3, 3, 2, 0, 0, 6, 6}, 64));
  CHECK_FALSE(winograd_conv_pays(ConvGeometry{13, 13, 64, 5, 5, 1, 0, 0, 9, 9}, 64));
}

}  // namespace
}  // namespace dt
