// Optimiser steps against values computed by hand from the update rules.
#include <doctest/doctest.h>

#include <cmath>

#include "train/optimizer.h"
#include "nn/layers/batchnorm_layer.h"
#include "nn/layers/dense_layer.h"

namespace dt {
namespace {

// A model whose only trainable tensors are a dense layer's weight (2x1) and bias (1).
Model tiny_model() {
  ModelSpec spec;
  spec.height = spec.width = 1;
  spec.channels = 2;
  spec.layers = {DenseParams{1}};
  auto m = Model::build(spec);
  REQUIRE(m.ok());
  return std::move(*m);
}

struct Fixture {
  Model model = tiny_model();
  std::vector<float> grads = std::vector<float>(model.num_params(), 0.0f);
  float& w0() { return model.params()[model.tensors()[0].offset]; }
  float& b() { return model.params()[model.tensors()[1].offset]; }
  void set(float w, float bias, float gw, float gb) {
    w0() = w;
    b() = bias;
    std::fill(grads.begin(), grads.end(), 0.0f);
    grads[model.tensors()[0].offset] = gw;
    grads[model.tensors()[1].offset] = gb;
  }
};

TEST_CASE("sgd") {
  Fixture f;
  OptimizerConfig c;
  c.kind = OptimizerKind::sgd;
  Optimizer opt(c, f.model);
  f.set(1.0f, 0.5f, 0.2f, -0.4f);
  opt.step(f.model, f.grads.data(), 0.1f);
  CHECK(f.w0() == doctest::Approx(1.0 - 0.1 * 0.2));
  CHECK(f.b() == doctest::Approx(0.5 + 0.1 * 0.4));
}

TEST_CASE("momentum and nesterov over two steps") {
  for (bool nesterov : {false, true}) {
    Fixture f;
    OptimizerConfig c;
    c.kind = nesterov ? OptimizerKind::nesterov : OptimizerKind::momentum;
    c.momentum = 0.9f;
    Optimizer opt(c, f.model);
    f.set(1.0f, 0.0f, 0.5f, 0.0f);
    opt.step(f.model, f.grads.data(), 0.1f);  // v = 0.5
    const float w1 = f.w0();
    CHECK(w1 == doctest::Approx(nesterov ? 1.0 - 0.1 * (0.5 + 0.9 * 0.5) : 1.0 - 0.1 * 0.5));
    f.set(w1, 0.0f, 0.5f, 0.0f);
    opt.step(f.model, f.grads.data(), 0.1f);  // v = 0.9 * 0.5 + 0.5 = 0.95
    CHECK(f.w0() == doctest::Approx(nesterov ? w1 - 0.1 * (0.5 + 0.9 * 0.95) : w1 - 0.1 * 0.95));
  }
}

TEST_CASE("rmsprop") {
  Fixture f;
  OptimizerConfig c;
  c.kind = OptimizerKind::rmsprop;
  c.rho = 0.9f;
  c.eps = 1e-7f;
  Optimizer opt(c, f.model);
  f.set(1.0f, 0.0f, 2.0f, 0.0f);
  opt.step(f.model, f.grads.data(), 0.01f);
  const double s = 0.1 * 4.0;
  CHECK(f.w0() == doctest::Approx(1.0 - 0.01 * 2.0 / (std::sqrt(s) + 1e-7)));
}

TEST_CASE("adam is bias-corrected: the first step moves by lr * sign(g)") {
  Fixture f;
  OptimizerConfig c;
  c.kind = OptimizerKind::adam;
  Optimizer opt(c, f.model);
  f.set(1.0f, 0.0f, 3.0f, -0.001f);
  opt.step(f.model, f.grads.data(), 0.001f);
  CHECK(f.w0() == doctest::Approx(1.0 - 0.001).epsilon(1e-6));
  CHECK(f.b() == doctest::Approx(0.001).epsilon(1e-3));
  // Second step with gradient 1: m = 0.9*0.3 + 0.1 = 0.37 -> m_hat = 0.37 / 0.19;
  // v = 0.999*0.009 + 0.001 = 0.009991 -> v_hat = 0.009991 / 0.001999.
  const float w1 = f.w0();
  f.set(w1, f.b(), 1.0f, 0.0f);
  opt.step(f.model, f.grads.data(), 0.001f);
  const double m_hat = 0.37 / 0.19, v_hat = 0.009991 / (1 - 0.999 * 0.999);
  CHECK(f.w0() == doctest::Approx(w1 - 0.001 * m_hat / (std::sqrt(v_hat) + 1e-7)).epsilon(1e-6));
}

TEST_CASE("l2 and l1 regularise weights, not biases") {
  Fixture f;
  OptimizerConfig c;
  c.kind = OptimizerKind::sgd;
  c.l2 = 0.5f;
  c.l1 = 0.1f;
  Optimizer opt(c, f.model);
  f.set(2.0f, 3.0f, 0.0f, 0.0f);
  opt.step(f.model, f.grads.data(), 0.1f);
  CHECK(f.w0() == doctest::Approx(2.0 - 0.1 * (2 * 0.5 * 2.0 + 0.1)));  // Keras: l2 * sum(w^2) + l1 * sum(|w|)
  CHECK(f.b() == doctest::Approx(3.0));
}

TEST_CASE("non-trainable tensors are never updated") {
  ModelSpec spec;
  spec.height = spec.width = 2;
  spec.layers = {BatchNormParams{}};
  auto m = Model::build(spec);
  m->initialize(1);
  std::vector<float> g(m->num_params(), 1.0f);
  OptimizerConfig c;
  c.kind = OptimizerKind::sgd;
  Optimizer opt(c, *m);
  opt.step(*m, g.data(), 0.5f);
  CHECK(m->params()[m->tensors()[0].offset] == doctest::Approx(0.5f));  // gamma moved
  CHECK(m->params()[m->tensors()[3].offset] == 1.0f);                   // running_var did not
}

TEST_CASE("optimizer names") {
  CHECK(parse_optimizer("adam").ok());
  auto bad = parse_optimizer("adagrad");
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.error().find("adagrad") != std::string::npos);
}

}  // namespace
}  // namespace dt
