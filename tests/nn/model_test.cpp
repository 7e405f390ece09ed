// The model's wiring: tensor table, buffer offsets, and the whole backward (ping-pong gradient
// buffers, parameter slices) checked against finite differences of the whole network's loss.
#include <doctest/doctest.h>

#include <cstring>

#include "nn/model.h"
#include "nn/ops/loss.h"
#include "nn/layers/activation_layers.h"
#include "nn/layers/batchnorm_layer.h"
#include "nn/layers/conv2d_layer.h"
#include "nn/layers/dense_layer.h"
#include "nn/layers/dropout_layer.h"
#include "nn/layers/flatten_layer.h"
#include "nn/layers/pool_layers.h"
#include "nn/layers/standardize_layer.h"
#include "test_util.h"

namespace dt {
namespace {

// Smooth layers only (tanh, avgpool), so central differences are accurate in float.
ModelSpec smooth_spec() {
  ModelSpec m;
  m.height = 7;
  m.width = 6;
  m.channels = 2;
  m.layers = {Conv2dParams{3, 3, 1, true}, BatchNormParams{}, TanhParams{}, AvgPoolParams(2), Conv2dParams{4, 2},
              SigmoidParams{}, FlattenParams{}, DenseParams{5}, StandardizeParams{0.5f, 2.0f}, DenseParams{4}};
  return m;
}

TEST_CASE("model tensor table: names, shapes, aligned offsets") {
  auto m = Model::build(smooth_spec());
  REQUIRE(m.ok());
  const auto& t = m->tensors();
  REQUIRE(t.size() == 2 + 4 + 2 + 2 + 2);
  CHECK(t[0].name == "layers.0.weight");
  CHECK(t[0].shape == std::vector<int>{3, 3, 2, 3});
  CHECK(t[2].name == "layers.1.gamma");
  CHECK_FALSE(t[4].trainable);  // running_mean
  // Each layer's tensors are contiguous (layers address them from one pointer), and each
  // layer's block starts 64-byte aligned.
  for (size_t i = 1; i < t.size(); ++i) {
    auto layer_of = [](const std::string& name) { return name.substr(0, name.rfind('.')); };
    const bool same_layer = layer_of(t[i].name) == layer_of(t[i - 1].name);
    if (same_layer) CHECK(t[i].offset == t[i - 1].offset + t[i - 1].size);
    else CHECK(t[i].offset % 16 == 0);
  }
  for (int i = 0; i < m->num_layers(); ++i) CHECK(m->layer_param_offset(i) % 16 == 0);
  CHECK(m->classes() == 4);
  CHECK(m->output_shape().size() == 4);
}

TEST_CASE("whole-network backward matches finite differences of the loss") {
  auto built = Model::build(smooth_spec());
  REQUIRE(built.ok());
  Model& m = *built;
  m.initialize(3);
  const int N = 3;
  Workspace ws(m, N);
  auto x = test::random_floats(N * m.input_shape().size(), 4, 0, 1);
  const uint8_t labels[N] = {1, 3, 0};
  const int K = m.classes();
  std::vector<float> probs(N * K);
  auto loss_at = [&]() {
    std::memcpy(ws.input(), x.data(), sizeof(float) * x.size());
    ws.forward(m, N, /*training=*/true, 9, 0);
    return softmax_cross_entropy_ref<float>(nullptr, probs.data(), ws.output(), labels, N, K, 0.0f);
  };
  loss_at();
  softmax_cross_entropy_ref<float>(ws.output_grad(), probs.data(), ws.output(), labels, N, K, 1.0f);
  std::vector<float> grads(m.num_params(), 0.0f);
  ws.backward(m, N, grads.data());
  int checked = 0;
  for (const TensorInfo& t : m.tensors()) {
    if (!t.trainable) continue;
    for (long i = 0; i < t.size; i += std::max(1L, t.size / 7)) {
      float& w = m.params()[t.offset + i];
      const float keep = w, h = 1e-2f;
      w = keep + h;
      const double up = loss_at();
      w = keep - h;
      const double down = loss_at();
      w = keep;
      const double numeric = (up - down) / (2 * h);
      const double analytic = grads[t.offset + i];
      INFO(t.name << "[" << i << "] analytic " << analytic << " numeric " << numeric);
      CHECK(std::fabs(numeric - analytic) <= 2e-3 + 2e-2 * std::fabs(numeric));
      ++checked;
    }
  }
  CHECK(checked > 40);
}

TEST_CASE("model build errors name the layer") {
  ModelSpec m;
  m.layers = {Conv2dParams{8, 30}};
  auto r = Model::build(m);
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().find("layer 0") != std::string::npos);
  CHECK_FALSE(Model::build(ModelSpec{}).ok());
}

TEST_CASE("initialisation is reproducible and follows the initialiser's scale") {
  ModelSpec spec;
  spec.layers = {FlattenParams{}, DenseParams{200}};
  auto a = Model::build(spec), b = Model::build(spec);
  a->initialize(11);
  b->initialize(11);
  CHECK(std::memcmp(a->params(), b->params(), sizeof(float) * a->num_params()) == 0);
  const float limit = std::sqrt(6.0f / (784 + 200));  // glorot uniform
  float max_abs = 0;
  for (long i = 0; i < 784 * 200; ++i) max_abs = std::max(max_abs, std::fabs(a->params()[i]));
  CHECK(max_abs <= limit);
  CHECK(max_abs > 0.9f * limit);
  b->initialize(12);
  CHECK(std::memcmp(a->params(), b->params(), sizeof(float) * a->num_params()) != 0);
}

}  // namespace
}  // namespace dt

namespace dt {
namespace {

TEST_CASE("the tensor table addresses the same memory the layers use") {
  // dense 3 -> 10: the weight has 30 elements (not a multiple of the alignment), so a padded
  // table would put the bias somewhere the layer does not read.
  ModelSpec spec;
  spec.height = spec.width = 1;
  spec.channels = 3;
  spec.layers = {DenseParams{10}};
  auto m = Model::build(spec);
  REQUIRE(m.ok());
  const TensorInfo& bias = m->tensors()[1];
  REQUIRE(bias.name == "layers.0.bias");
  for (int k = 0; k < 10; ++k) m->params()[bias.offset + k] = float(k + 1);
  Workspace ws(*m, 1);
  std::fill(ws.input(), ws.input() + 3, 0.0f);
  ws.forward(*m, 1, false);
  for (int k = 0; k < 10; ++k) CHECK(ws.output()[k] == float(k + 1));
}

}  // namespace
}  // namespace dt

namespace dt {
namespace {

TEST_CASE("standardize layer: forward, backward and JSON round trip") {
  StandardizeParams s{0.5f, 0.25f};
  auto layer = s.build({1, 1, 3});
  REQUIRE(layer.ok());
  std::vector<float> x = {0.5f, 1.0f, 0.0f}, y(3), dy = {1.0f, 2.0f, -4.0f}, dx(3);
  Pass p;
  p.n = 1;
  p.in = x.data();
  p.out = y.data();
  (*layer)->forward(p);
  CHECK(y == std::vector<float>{0.0f, 2.0f, -2.0f});
  p.dout = dy.data();
  p.din = dx.data();
  (*layer)->backward(p);
  CHECK(dx == std::vector<float>{4.0f, 8.0f, -16.0f});
  s.std = 0.0f;
  CHECK_FALSE(s.build({1, 1, 3}).ok());
  ModelSpec m;
  s.std = 0.3081f;
  m.layers = {s};
  m.init = Init::pytorch_uniform;
  auto back = model_spec_from_json(to_json(m));
  REQUIRE(back.ok());
  REQUIRE(back->layers[0].is<StandardizeParams>());
  CHECK(back->layers[0].as<StandardizeParams>()->std == doctest::Approx(0.3081f));
  CHECK(back->init == Init::pytorch_uniform);
}

TEST_CASE("pytorch_uniform draws weights and biases within 1/sqrt(fan_in)") {
  ModelSpec spec;
  spec.init = Init::pytorch_uniform;
  spec.layers = {FlattenParams{}, DenseParams{50}};
  auto m = Model::build(spec);
  m->initialize(1);
  const float l = 1.0f / std::sqrt(784.0f);
  const TensorInfo& bias = m->tensors()[1];
  float max_b = 0;
  for (long i = 0; i < bias.size; ++i) max_b = std::max(max_b, std::fabs(m->params()[bias.offset + i]));
  CHECK(max_b > 0.0f);
  CHECK(max_b <= l);
}

}  // namespace
}  // namespace dt
