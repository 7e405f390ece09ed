// The training loop on a small synthetic task: loss goes down, runs are reproducible for a
// seed and thread count, the batch split does not change the result beyond rounding, early
// stopping restores the best weights, and bad configurations are refused with a message.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>

#include <cstring>

#include "train/squares.h"
#include "train/trainer.h"
#include "nn/layers/activation_layers.h"
#include "nn/layers/batchnorm_layer.h"
#include "nn/layers/conv2d_layer.h"
#include "nn/layers/dense_layer.h"
#include "nn/layers/dropout_layer.h"
#include "nn/layers/flatten_layer.h"
#include "nn/layers/pool_layers.h"

namespace dt {
namespace {

ModelSpec small_cnn() {
  ModelSpec m;
  m.height = m.width = 12;
  m.layers = {Conv2dParams{8, 3}, BatchNormParams{}, ReluParams{}, MaxPoolParams(2), FlattenParams{},
              DropoutParams{0.1f}, DenseParams{10}};
  return m;
}

std::vector<float> train_params(int threads, int epochs, uint64_t seed, const Dataset& data, float* final_loss = nullptr) {
  auto m = Model::build(small_cnn());
  REQUIRE(m.ok());
  m->initialize(seed);
  TrainConfig cfg;
  cfg.epochs = epochs;
  cfg.batch = 16;
  cfg.lr = 3e-3f;
  cfg.seed = seed;
  cfg.threads = threads;
  Trainer t(*m, data, cfg);
  StepReport r;
  while (!t.finished()) r = t.step();
  if (final_loss) *final_loss = r.epoch_loss;
  return std::vector<float>(m->params(), m->params() + m->num_params());
}

TEST_CASE("loss goes down and accuracy goes up on a learnable task") {
  const Dataset train = squares(640, 1), test = squares(200, 2);
  auto m = Model::build(small_cnn());
  m->initialize(3);
  TrainConfig cfg;
  cfg.epochs = 3;
  cfg.batch = 16;
  cfg.lr = 3e-3f;
  Trainer t(*m, train, cfg);
  const EvalResult before = t.evaluate(test);
  std::vector<float> epoch_losses;
  while (!t.finished()) {
    const StepReport r = t.step();
    if (r.epoch_end) epoch_losses.push_back(r.epoch_loss);
  }
  const EvalResult after = t.evaluate(test);
  REQUIRE(epoch_losses.size() == 3);
  CHECK(epoch_losses[2] < epoch_losses[0]);
  CHECK(after.loss < before.loss * 0.5);
  CHECK(after.accuracy() > 0.9);
  CHECK(after.confusion.total() == 200);
}

TEST_CASE("same seed and thread count give bit-identical parameters") {
  const Dataset data = squares(200, 4);
  for (int threads : {1, 2}) {
    auto a = train_params(threads, 1, 7, data), b = train_params(threads, 1, 7, data);
    CHECK(std::memcmp(a.data(), b.data(), sizeof(float) * a.size()) == 0);
  }
  auto c = train_params(1, 1, 8, data), d = train_params(1, 1, 7, data);
  CHECK(std::memcmp(c.data(), d.data(), sizeof(float) * c.size()) != 0);
}

TEST_CASE("splitting a batch across threads changes nothing but rounding (and batch-norm statistics)") {
  // Without batch norm the shards compute exactly the same gradients, summed differently.
  const Dataset data = squares(96, 5);
  auto run = [&](int threads) {
    ModelSpec spec = small_cnn();
    spec.layers.erase(spec.layers.begin() + 1);  // no batchnorm
    auto m = Model::build(spec);
    m->initialize(1);
    TrainConfig cfg;
    cfg.epochs = 1;
    cfg.batch = 32;
    cfg.threads = threads;
    Trainer t(*m, data, cfg);
    while (!t.finished()) t.step();
    return std::vector<float>(m->params(), m->params() + m->num_params());
  };
  auto one = run(1), two = run(2);
  double max_diff = 0;
  for (size_t i = 0; i < one.size(); ++i) max_diff = std::max(max_diff, double(std::fabs(one[i] - two[i])));
  CHECK(max_diff < 1e-4);
}

TEST_CASE("step reports count batches and samples") {
  const Dataset data = squares(50, 6);
  auto m = Model::build(small_cnn());
  m->initialize(1);
  TrainConfig cfg;
  cfg.epochs = 2;
  cfg.batch = 16;
  Trainer t(*m, data, cfg);
  CHECK(t.steps_per_epoch() == 4);  // 16 + 16 + 16 + 2
  StepReport r;
  for (int i = 0; i < 4; ++i) r = t.step();
  CHECK(r.epoch_end);
  CHECK(r.samples_seen == 50);
  CHECK(r.step_in_epoch == 4);
  r = t.step();
  CHECK(r.epoch == 1);
  CHECK(r.step_in_epoch == 1);
  while (!t.finished()) r = t.step();
  CHECK(r.global_step == 8);
}

TEST_CASE("early stopping restores the best weights") {
  const Dataset data = squares(64, 8);
  auto m = Model::build(small_cnn());
  m->initialize(1);
  TrainConfig cfg;
  cfg.epochs = 10;
  cfg.patience = 2;
  Trainer t(*m, data, cfg);
  EvalResult good;
  good.loss = 0.5;
  EvalResult worse;
  worse.loss = 0.9;
  CHECK_FALSE(t.end_epoch(good));
  const std::vector<float> best(m->params(), m->params() + m->num_params());
  t.step();  // the weights move on
  CHECK_FALSE(t.end_epoch(worse));
  CHECK(t.end_epoch(worse));
  CHECK(t.finished());
  CHECK(t.stopped_early());
  CHECK(std::memcmp(best.data(), m->params(), sizeof(float) * best.size()) == 0);
}

TEST_CASE("without early stopping, a last epoch that validates worse gets the best epoch's weights back") {
  const Dataset data = squares(64, 8);
  auto m = Model::build(small_cnn());
  m->initialize(1);
  TrainConfig cfg;
  cfg.epochs = 3;
  cfg.batch = 64;  // one step per epoch
  Trainer t(*m, data, cfg);
  EvalResult good;
  good.loss = 0.5;
  EvalResult worse;
  worse.loss = 0.9;
  t.step();
  CHECK_FALSE(t.end_epoch(good));
  const std::vector<float> best(m->params(), m->params() + m->num_params());
  t.step();
  CHECK_FALSE(t.end_epoch(worse));  // not the last epoch: the weights stay where training took them
  CHECK(t.restored_epoch() == 0);
  CHECK(std::memcmp(best.data(), m->params(), sizeof(float) * best.size()) != 0);
  t.step();
  CHECK_FALSE(t.end_epoch(worse));
  CHECK(t.finished());
  CHECK_FALSE(t.stopped_early());
  CHECK(t.restored_epoch() == 1);
  CHECK(std::memcmp(best.data(), m->params(), sizeof(float) * best.size()) == 0);
}

TEST_CASE("invalid configurations are refused with a message naming the setting") {
  TrainConfig c;
  c.batch = 0;
  CHECK(validate(c).error.find("batch") != std::string::npos);
  c = TrainConfig{};
  c.epochs = -1;
  CHECK(validate(c).error.find("epochs") != std::string::npos);
  c = TrainConfig{};
  c.lr = 0;
  CHECK(validate(c).error.find("learning rate") != std::string::npos);
  CHECK(validate(TrainConfig{}).ok());
}

TEST_CASE("augmentation keeps training working") {
  const Dataset train = squares(320, 9);
  auto m = Model::build(small_cnn());
  m->initialize(2);
  TrainConfig cfg;
  cfg.epochs = 2;
  cfg.batch = 16;
  cfg.augment = Augment{5.0f, 0.05f, 0.5f};
  Trainer t(*m, train, cfg);
  const double before = t.evaluate(train).loss;
  while (!t.finished()) t.step();
  CHECK(t.evaluate(train).loss < before);
}

}  // namespace
}  // namespace dt

namespace dt {
namespace {

// The divergence guard: an absurd learning rate ends the run at the step where the loss
// explodes or turns NaN, with a message that names the step and the cure, and leaves the
// weights of the last good step (finite) in place.
TEST_CASE("trainer: a diverging run stops with finite weights and a message naming the step") {
  const Dataset data = squares(96, 3);
  for (OptimizerKind kind : {OptimizerKind::sgd, OptimizerKind::adam}) {
    CAPTURE(optimizer_name(kind));
    Model model = *Model::build(small_cnn());
    model.initialize(1);
    TrainConfig cfg;
    cfg.epochs = 3;
    cfg.batch = 16;
    cfg.threads = 1;
    cfg.lr = 1e9f;
    cfg.optimizer.kind = kind;
    Trainer trainer(model, data, cfg);
    std::vector<float> before;
    while (!trainer.finished()) {
      before.assign(model.params(), model.params() + model.num_params());
      trainer.step();
    }
    REQUIRE(trainer.diverged());
    CHECK(trainer.global_step() < trainer.total_steps());
    CHECK(trainer.divergence().find("diverged at step " + std::to_string(trainer.global_step() + 1)) != std::string::npos);
    CHECK(trainer.divergence().find("smaller learning rate") != std::string::npos);
    // The failing step changed nothing, and what remains is finite.
    CHECK(std::equal(before.begin(), before.end(), model.params()));
    for (long i = 0; i < model.num_params(); ++i) REQUIRE(std::isfinite(model.params()[i]));
  }
}

TEST_CASE("trainer: a sound run never trips the divergence guard") {
  const Dataset data = squares(96, 3);
  Model model = *Model::build(small_cnn());
  model.initialize(1);
  TrainConfig cfg;
  cfg.epochs = 3;
  cfg.batch = 16;
  cfg.threads = 2;
  Trainer trainer(model, data, cfg);
  while (!trainer.finished()) trainer.step();
  CHECK_FALSE(trainer.diverged());
  CHECK(trainer.global_step() == trainer.total_steps());
}

TEST_CASE("weight statistics: mean |w| of each weighted layer, and the step's mean |gradient|") {
  const Dataset data = squares(64, 7);
  auto m = Model::build(small_cnn());
  m->initialize(2);
  TrainConfig cfg;
  cfg.epochs = 1;
  cfg.batch = 16;
  cfg.lr = 0.1f;
  cfg.optimizer.kind = OptimizerKind::sgd;  // w -= lr * g: the step's gradient is the change / lr
  Trainer t(*m, data, cfg);
  auto mean_abs = [](const float* v, long n) {
    double s = 0;
    for (long i = 0; i < n; ++i) s += std::fabs(v[i]);
    return s / double(n);
  };
  std::vector<WeightStatistics> before = t.weight_statistics();
  REQUIRE(before.size() == 2);  // the conv and the dense layer, not batch norm
  CHECK(before[0].layer == 0);
  CHECK(before[1].layer == 6);
  for (const WeightStatistics& s : before) CHECK(s.mean_abs_grad == 0.0f);
  const std::vector<float> w0(m->params(), m->params() + m->num_params());
  t.step();
  const std::vector<WeightStatistics> after = t.weight_statistics();
  REQUIRE(after.size() == 2);
  for (const WeightStatistics& s : after) {
    const TensorInfo* weight = nullptr;
    for (const TensorInfo& ti : m->tensors())
      if (ti.name == "layers." + std::to_string(s.layer) + ".weight") weight = &ti;
    REQUIRE(weight);
    CHECK(s.mean_abs_weight == doctest::Approx(mean_abs(m->params() + weight->offset, weight->size)).epsilon(1e-5));
    std::vector<float> change(static_cast<size_t>(weight->size));
    for (long i = 0; i < weight->size; ++i) change[i] = (w0[weight->offset + i] - m->params()[weight->offset + i]) / cfg.lr;
    CHECK(s.mean_abs_grad > 0.0f);
    CHECK(s.mean_abs_grad == doctest::Approx(mean_abs(change.data(), weight->size)).epsilon(1e-3));
  }
}

}  // namespace
}  // namespace dt
