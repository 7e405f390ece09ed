// The leaky_relu layer: its forward and backward equal the reference op (which the activation
// tests check against finite differences), it round-trips through the architecture JSON with
// its slope (0.01 when the JSON leaves it out), and it rejects a slope that is not finite.
#include <doctest/doctest.h>

#include <cmath>
#include <limits>
#include <vector>

#include "nn/layers/leaky_relu_layer.h"
#include "nn/ops/activations.h"
#include "nn/spec.h"
#include "nn/layer_run.h"
#include "test_util.h"

namespace dt {
namespace {

TEST_CASE("leaky_relu layer: forward and backward equal the reference op") {
  const Shape3 shape{3, 5, 7};
  const int N = 3;
  const long n = N * shape.size();
  auto layer = LeakyReluParams{0.2f}.build(shape);
  REQUIRE(layer.ok());
  CHECK((*layer)->out_shape().size() == shape.size());
  auto x = test::random_floats(static_cast<size_t>(n), 1);
  auto dy = test::random_floats(static_cast<size_t>(n), 2);
  test::LayerRun run(**layer, N, x.data());
  (*layer)->forward(run.pass);
  std::vector<float> want(n), dx(n), dx_want(n);
  activation_forward_ref(want.data(), x.data(), n, Activation::leaky_relu, 0.2f);
  CHECK(test::first_mismatch(run.out, want, 1e-7) == -1);
  run.pass.dout = dy.data();
  run.pass.din = dx.data();
  (*layer)->backward(run.pass);
  activation_backward_ref(dx_want.data(), dy.data(), x.data(), want.data(), n, Activation::leaky_relu, 0.2f);
  CHECK(test::first_mismatch(dx, dx_want, 1e-7) == -1);
}

TEST_CASE("leaky_relu layer: architecture JSON round trip and default slope") {
  ModelSpec m;
  m.layers = {LeakyReluParams{0.2f}};
  CHECK(describe(m) == "leaky_relu 0.2");
  auto back = model_spec_from_json(to_json(m));
  REQUIRE(back.ok());
  REQUIRE(back->layers[0].is<LeakyReluParams>());
  CHECK(back->layers[0].as<LeakyReluParams>()->alpha == 0.2f);
  auto defaulted = model_spec_from_json(R"({"input":[28,28,1],"layers":[{"type":"leaky_relu"}]})");
  REQUIRE(defaulted.ok());
  CHECK(defaulted->layers[0].as<LeakyReluParams>()->alpha == 0.01f);
  auto bad = model_spec_from_json(R"({"input":[28,28,1],"layers":[{"type":"leaky_relu","alpha":"steep"}]})");
  CHECK_FALSE(bad.ok());
}

TEST_CASE("leaky_relu layer: a slope that is not finite is refused") {
  auto r = LeakyReluParams{std::numeric_limits<float>::infinity()}.build({1, 1, 4});
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().find("alpha") != std::string::npos);
}

}  // namespace
}  // namespace dt
