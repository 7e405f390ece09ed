// conv2d: the reference backward against finite differences (double), and the engine's layer
// and every convolution algorithm (float) against the reference, for valid/same padding and strides.
#include <doctest/doctest.h>

#include <functional>
#include <iterator>
#include <vector>

#include "nn/conv/conv_algorithm.h"
#include "nn/gradcheck.h"
#include "nn/layer.h"
#include "nn/ops/conv2d.h"
#include "nn/layer_run.h"
#include "test_util.h"
#include "nn/layers/conv2d_layer.h"

namespace dt {
namespace {

struct Case {
  int H, W, C, K, stride, OC;
  bool same;
};

const Case kCases[] = {{5, 5, 1, 3, 1, 2, false}, {6, 5, 2, 3, 2, 3, true}, {4, 4, 3, 2, 1, 2, true},
                       {7, 7, 2, 5, 1, 3, true},  {5, 6, 3, 3, 2, 5, false}};

// The passes' cases: kCases and one that the Winograd algorithm takes in every build (32 input
// channels, 11x11 output), too large for the finite differences' double-precision reference.
std::vector<Case> pass_cases() {
  std::vector<Case> cases(std::begin(kCases), std::end(kCases));
  cases.push_back({13, 13, 32, 3, 1, 16, false});
  // One input channel and whole vectors of output channels: where the direct convolution
  // (nn/conv/direct_conv.h) is chosen.
  cases.push_back({12, 11, 1, 3, 1, 32, false});
  cases.push_back({9, 10, 1, 5, 2, 16, true});
  return cases;
}

Conv2dParams spec_of(const Case& c) { return Conv2dParams{c.OC, c.K, c.stride, c.same}; }

// The geometry the layer derives (same padding as TensorFlow) rebuilt for the reference.
ConvGeometry geometry_of(const Case& c) {
  ConvGeometry g{c.H, c.W, c.C, c.K, c.K, c.stride, 0, 0, 0, 0};
  if (c.same) {
    g.OH = (c.H + c.stride - 1) / c.stride;
    g.OW = (c.W + c.stride - 1) / c.stride;
    g.pad_top = std::max(0, (g.OH - 1) * c.stride + c.K - c.H) / 2;
    g.pad_left = std::max(0, (g.OW - 1) * c.stride + c.K - c.W) / 2;
  } else {
    g.OH = (c.H - c.K) / c.stride + 1;
    g.OW = (c.W - c.K) / c.stride + 1;
  }
  return g;
}

TEST_CASE("conv2d reference backward matches finite differences") {
  for (const Case& c : kCases) {
    const ConvGeometry g = geometry_of(c);
    const int N = 2;
    auto x = test::random_doubles(static_cast<size_t>(N) * c.H * c.W * c.C, 1);
    auto w = test::random_doubles(static_cast<size_t>(g.patch()) * c.OC, 2);
    auto b = test::random_doubles(c.OC, 3);
    const size_t out_n = static_cast<size_t>(N) * g.OH * g.OW * c.OC;
    auto r = test::random_doubles(out_n, 4);
    std::vector<double> dx(x.size()), dw(w.size(), 0.0), db(b.size(), 0.0);
    conv2d_backward_ref(dx.data(), dw.data(), db.data(), r.data(), x.data(), w.data(), g, c.OC, N);
    auto fwd_x = [&](const std::vector<double>& xx) {
      std::vector<double> out(out_n);
      conv2d_forward_ref(out.data(), xx.data(), w.data(), b.data(), g, c.OC, N);
      return out;
    };
    auto fwd_w = [&](const std::vector<double>& ww) {
      std::vector<double> out(out_n);
      conv2d_forward_ref(out.data(), x.data(), ww.data(), b.data(), g, c.OC, N);
      return out;
    };
    auto fwd_b = [&](const std::vector<double>& bb) {
      std::vector<double> out(out_n);
      conv2d_forward_ref(out.data(), x.data(), w.data(), bb.data(), g, c.OC, N);
      return out;
    };
    test::check_gradient("conv2d dx", x, fwd_x, r, dx);
    test::check_gradient("conv2d dw", w, fwd_w, r, dw);
    test::check_gradient("conv2d db", b, fwd_b, r, db);
  }
}

// One implementation of the conv2d passes (the layer, or an algorithm alone) against the
// reference, forward and backward, for case c.
void check_against_reference(const Case& c, long saved_floats, long scratch_floats,
                             const std::function<void(const Pass&)>& forward,
                             const std::function<void(const Pass&)>& backward) {
  const ConvGeometry g = geometry_of(c);
  const int N = 3;
  auto x = test::random_floats(static_cast<size_t>(N) * c.H * c.W * c.C, 5);
  auto params = test::random_floats(static_cast<size_t>(g.patch()) * c.OC + c.OC, 6);
  const float* w = params.data();
  const float* b = params.data() + static_cast<size_t>(g.patch()) * c.OC;
  std::vector<float> y(static_cast<size_t>(N) * g.OH * g.OW * c.OC), y_ref(y.size());
  std::vector<float> saved(std::max(1L, saved_floats)), scratch(std::max(1L, scratch_floats));
  Pass p;
  p.n = N;
  p.training = true;
  p.in = x.data();
  p.out = y.data();
  p.params = params.data();
  p.saved = saved.data();
  p.scratch = scratch.data();
  forward(p);
  conv2d_forward_ref(y_ref.data(), x.data(), w, b, g, c.OC, N);
  INFO("H=" << c.H << " W=" << c.W << " C=" << c.C << " K=" << c.K << " stride=" << c.stride << " same=" << c.same);
  CHECK(test::first_mismatch(y, y_ref, 1e-5) == -1);

  auto dy = test::random_floats(y.size(), 7);
  std::vector<float> dx(x.size()), dx_ref(x.size()), grads(params.size(), 0.0f), grads_ref(params.size(), 0.0f);
  p.dout = dy.data();
  p.din = dx.data();
  p.grads = grads.data();
  backward(p);
  conv2d_backward_ref(dx_ref.data(), grads_ref.data(), grads_ref.data() + static_cast<size_t>(g.patch()) * c.OC,
                      dy.data(), x.data(), w, g, c.OC, N);
  CHECK(test::first_mismatch(dx, dx_ref, 1e-5) == -1);
  CHECK(test::first_mismatch(grads, grads_ref, 1e-4) == -1);
}

TEST_CASE("conv2d layer matches the reference") {
  for (const Case& c : pass_cases()) {
    const ConvGeometry g = geometry_of(c);
    auto layer = spec_of(c).build({c.H, c.W, c.C});
    REQUIRE(layer.ok());
    const Shape3 out = (*layer)->out_shape();
    CHECK(out.h == g.OH);
    CHECK(out.w == g.OW);
    const Layer& l = **layer;
    check_against_reference(c, l.saved_floats(3), l.scratch_floats(3), [&](const Pass& p) { l.forward(p); },
                            [&](const Pass& p) { l.backward(p); });
  }
}

// Each registered convolution algorithm, on every case it says it supports: a new algorithm
// (Winograd, direct) is checked here as soon as it registers.
TEST_CASE("every convolution algorithm matches the reference on the shapes it supports") {
  REQUIRE_FALSE(conv_algorithms().entries().empty());
  for (const ConvAlgorithms::Entry& e : conv_algorithms().entries()) {
    int checked = 0;
    for (const Case& c : pass_cases()) {
      const ConvGeometry g = geometry_of(c);
      if (!e.supports(g, c.OC)) continue;
      CAPTURE(e.name);
      auto algorithm = e.make(g, c.OC);
      REQUIRE(algorithm != nullptr);
      check_against_reference(c, algorithm->saved_floats(3), algorithm->scratch_floats(3),
                              [&](const Pass& p) { algorithm->forward(p); }, [&](const Pass& p) { algorithm->backward(p); });
      ++checked;
    }
    CHECK_MESSAGE(checked > 0, e.name << " supports none of the test shapes");
  }
}

TEST_CASE("conv2d rejects a kernel larger than a 'valid' input") {
  auto layer = Conv2dParams{4, 5}.build({3, 3, 1});
  REQUIRE_FALSE(layer.ok());
  CHECK(layer.error().find("larger than") != std::string::npos);
}

}  // namespace
}  // namespace dt
