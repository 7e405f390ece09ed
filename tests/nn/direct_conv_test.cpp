// The direct one-channel convolution (nn/conv/direct_conv.h), built directly whatever the
// registry would choose: forward, input gradient and weight/bias gradients against the direct
// reference (nn/ops/conv2d.h, in double) and against im2col + GEMM, for the first layers of the
// presets (28x28 3x3 'valid', 5x5 'valid' and 'same') and for odd sizes, strides and paddings;
// its backward against finite differences of its own forward; and the registry's choice.
#include <doctest/doctest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "nn/conv/conv_algorithm.h"
#include "nn/conv/direct_conv.h"
#include "nn/conv_algorithm_check.h"
#include "nn/layers/conv2d_layer.h"
#include "nn/ops/conv2d.h"
#include "test_util.h"

namespace dt {
namespace {

struct Case {
  int H, W, OC, K, stride;
  bool same;
};

// keras-cnn and fast (28x28 -> 32, 3x3), best (5x5 valid), torch-lenet (5x5 same) among them.
const Case kCases[] = {{28, 28, 32, 3, 1, false}, {28, 28, 32, 5, 1, false}, {28, 28, 32, 5, 1, true},
                       {5, 5, 1, 3, 1, false},    {7, 6, 19, 3, 1, true},    {9, 11, 33, 3, 2, false},
                       {10, 9, 8, 4, 2, true},    {6, 7, 16, 1, 1, false},   {12, 13, 40, 5, 3, true}};

ConvGeometry geometry_of(const Case& c) {
  auto g = Conv2dParams{c.OC, c.K, c.stride, c.same}.geometry({c.H, c.W, 1});
  REQUIRE(g);
  return *g;
}


TEST_CASE("direct conv matches the reference and im2col + gemm in all three passes") {
  for (const Case& c : kCases) {
    const ConvGeometry g = geometry_of(c);
    INFO("H=" << c.H << " W=" << c.W << " OC=" << c.OC << " K=" << c.K << " stride=" << c.stride << " same=" << c.same);
    REQUIRE(direct_conv_applies(g));
    const int N = 2;
    const auto run = test::check_against_reference(*make_direct_conv(g, c.OC), g, c.OC, N);
    const auto& [x, params, dy, grads0, direct] = run;

    // A first layer's backward (no input gradient) and attribution's (no parameter gradients).
    const auto grads_only = test::run_passes(*make_direct_conv(g, c.OC), g, c.OC, N, x, params, dy, grads0, false, true);
    const auto dx_only = test::run_passes(*make_direct_conv(g, c.OC), g, c.OC, N, x, params, dy, grads0, true, false);
    CHECK(test::first_mismatch(grads_only.grads, direct.grads, 0.0) == -1);
    CHECK(test::first_mismatch(grads_only.dx, std::vector<float>(x.size(), 9.0f), 0.0) == -1);  // untouched
    CHECK(test::first_mismatch(dx_only.dx, direct.dx, 0.0) == -1);
    CHECK(test::first_mismatch(dx_only.grads, grads0, 0.0) == -1);  // nothing accumulated
  }
}

TEST_CASE("direct conv backward matches finite differences of its forward") {
  for (const Case& c : {Case{6, 5, 3, 3, 1, true}, Case{5, 5, 2, 3, 1, false}, Case{7, 6, 4, 5, 2, true}}) {
    const ConvGeometry g = geometry_of(c);
    INFO("H=" << c.H << " W=" << c.W << " OC=" << c.OC << " K=" << c.K << " stride=" << c.stride << " same=" << c.same);
    test::check_conv_gradients("direct", *make_direct_conv(g, c.OC), g, c.OC, 2);
  }
}

TEST_CASE("the registry chooses direct conv exactly where it was measured faster") {
  for (const Case& c : kCases) {
    const ConvGeometry g = geometry_of(c);
    CAPTURE(c.K);
    CAPTURE(c.OC);
    if (direct_conv_pays(g, c.OC)) CHECK(std::string(conv_algorithms().choose(g, c.OC)->name()) == "direct");
  }
  // The presets' first layers.
  for (const Case& c : {Case{28, 28, 32, 3, 1, false}, Case{28, 28, 32, 5, 1, false}, Case{28, 28, 32, 5, 1, true}})
    CHECK(std::string(conv_algorithms().choose(geometry_of(c), c.OC)->name()) == "direct");
  // Never a geometry it cannot compute: more than one input channel.
  CHECK_FALSE(direct_conv_pays(ConvGeometry{13, 13, 2, 3, 3, 1, 0, 0, 11, 11}, 32));
  CHECK(std::string(conv_algorithms().choose(ConvGeometry{13, 13, 32, 3, 3, 1, 0, 0, 11, 11}, 64)->name()) != "direct");
}

}  // namespace
}  // namespace dt
