// Exact resume: a run checkpointed after k steps and restored into a freshly made run trains
// on to bit-identical weights and the same step and epoch reports as the run that was never
// interrupted (Adam and momentum, batch norm, dropout, augmentation, a cosine schedule, a
// changed learning rate and early stopping's best weights, 1 and 2 threads, mid-epoch and at
// an epoch's end). A checkpoint of another architecture, config or data, or a damaged one, is
// refused and changes nothing; and the same bytes load as a model.
#include <doctest/doctest.h>

#include <cmath>
#include <cstring>
#include <limits>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "train/squares.h"
#include "data/augment.h"
#include "io/safetensors.h"
#include "train/run.h"

namespace dt {
namespace {

Model small_model(uint64_t seed, int units = 16) {
  auto spec = model_spec_from_json(R"({"input":[12,12,1],"layers":[{"type":"flatten"},{"type":"dense","units":)" +
                                   std::to_string(units) + R"(},
      {"type":"batchnorm"},{"type":"relu"},{"type":"dropout","rate":0.2},{"type":"dense","units":10}]})");
  REQUIRE(spec.ok());
  auto m = Model::build(*spec);
  REQUIRE(m.ok());
  m->initialize(seed);
  return std::move(*m);
}

TrainConfig config(OptimizerKind kind, int threads) {
  TrainConfig c;
  c.epochs = 6;
  c.batch = 16;
  c.lr = 1e-2f;
  c.optimizer.kind = kind;
  c.schedule.kind = ScheduleKind::cosine;
  c.augment = standard_augment();
  c.patience = 2;
  c.threads = threads;
  return c;
}

struct Data {
  Dataset train = squares(160, 6), misleading = squares(40, 7, /*label_shift=*/3), test = squares(30, 8);
  RunData run() const { return {train, misleading, &test}; }
};

std::vector<float> params(const Model& m) { return std::vector<float>(m.params(), m.params() + m.num_params()); }

bool same_bits(const std::vector<float>& a, const std::vector<float>& b) {
  return a.size() == b.size() && std::memcmp(a.data(), b.data(), sizeof(float) * a.size()) == 0;
}

// What the run reports, timing left out.
void check_same(const RunEvent& a, const RunEvent& b) {
  const StepReport &x = a.progress.step, &y = b.progress.step;
  CHECK(x.epoch == y.epoch);
  CHECK(x.step_in_epoch == y.step_in_epoch);
  CHECK(x.steps_per_epoch == y.steps_per_epoch);
  CHECK(x.global_step == y.global_step);
  CHECK(x.total_steps == y.total_steps);
  CHECK(x.samples_seen == y.samples_seen);
  CHECK(x.loss == y.loss);
  CHECK(x.epoch_loss == y.epoch_loss);
  CHECK(x.epoch_accuracy == y.epoch_accuracy);
  CHECK(x.lr == y.lr);
  CHECK(x.epoch_end == y.epoch_end);
  CHECK(a.done == b.done);
  REQUIRE(a.epoch.has_value() == b.epoch.has_value());
  if (!a.epoch) return;
  CHECK(a.epoch->epoch == b.epoch->epoch);
  CHECK(a.epoch->train_loss == b.epoch->train_loss);
  CHECK(a.epoch->train_accuracy == b.epoch->train_accuracy);
  REQUIRE(a.epoch->validation.has_value() == b.epoch->validation.has_value());
  REQUIRE(a.epoch->test.has_value() == b.epoch->test.has_value());
  if (a.epoch->validation) {
    CHECK(a.epoch->validation->loss == b.epoch->validation->loss);
    CHECK(a.epoch->validation->accuracy() == b.epoch->validation->accuracy());
  }
  if (a.epoch->test) CHECK(a.epoch->test->loss == b.epoch->test->loss);
  CHECK(a.epoch->stopped_early == b.epoch->stopped_early);
}

constexpr int kLrChangeAt = 2;  // steps; the learning rate is halved after them

// One step per slice until the run is done, or until `stop_after` steps.
std::vector<RunEvent> train(TrainingRun& run, int64_t stop_after = std::numeric_limits<int64_t>::max()) {
  std::vector<RunEvent> events;
  while (!run.finished() && (events.empty() || events.back().progress.step.global_step < stop_after)) {
    events.push_back(run.advance(SliceBudget::seconds(0)));
    if (events.back().progress.step.global_step == kLrChangeAt) run.set_lr(run.config().lr * 0.5f);
  }
  return events;
}

// Trains straight through, and again with a checkpoint after `k` steps restored into a new
// run over a model initialised differently; both must end identical.
void check_resume_is_exact(OptimizerKind kind, int threads, int64_t k) {
  CAPTURE(optimizer_name(kind));
  CAPTURE(threads);
  CAPTURE(k);
  const Data data;
  const TrainConfig cfg = config(kind, threads);

  Model straight_model = small_model(1);
  TrainingRun straight(straight_model, data.run(), cfg, TestEvaluation::every_epoch);
  const std::vector<RunEvent> expected = train(straight);
  REQUIRE(straight.stopped_early());  // so early stopping's kept weights decide the result
  REQUIRE(int64_t(expected.size()) > k);

  std::vector<uint8_t> bytes;
  {
    Model first_model = small_model(1);
    TrainingRun first(first_model, data.run(), cfg, TestEvaluation::every_epoch);
    const std::vector<RunEvent> before = train(first, k);
    REQUIRE(int64_t(before.size()) == k);
    for (int64_t i = 0; i < k; ++i) check_same(before[i], expected[i]);
    bytes = first.checkpoint({{"note", "kept"}});
  }  // the first run and its model are gone

  Model resumed_model = small_model(99);  // other weights: the checkpoint must bring its own
  TrainingRun resumed(resumed_model, data.run(), cfg, TestEvaluation::every_epoch);
  const Status restored = resumed.restore(bytes.data(), bytes.size());
  REQUIRE_MESSAGE(restored.ok(), restored.error);
  CHECK(resumed.epochs_completed() == k / 10);
  std::vector<RunEvent> after;
  while (!resumed.finished()) after.push_back(resumed.advance(SliceBudget::seconds(0)));
  REQUIRE(after.size() + k == expected.size());
  for (size_t i = 0; i < after.size(); ++i) {
    CAPTURE(i);
    check_same(after[i], expected[k + i]);
  }
  CHECK(resumed.stopped_early());
  CHECK(same_bits(params(resumed_model), params(straight_model)));
}

TEST_CASE("a restored checkpoint trains on to bit-identical weights and reports") {
  // 160 samples in batches of 16: 10 steps per epoch; the misleading validation set makes
  // early stopping end the run after 3 epochs with the first epoch's weights.
  for (OptimizerKind kind : {OptimizerKind::adam, OptimizerKind::momentum})
    for (int threads : {1, 2})
      // Mid-epoch, at its end, in the next epoch (best weights kept), in the third (after an
      // epoch without improvement).
      for (int64_t k : {4, 10, 15, 25}) check_resume_is_exact(kind, threads, k);
}

// A finished run's checkpoint restores finished: advance() trains nothing and reports the
// same last progress, and the early stop or the divergence is still there.
void check_finished_resume(const TrainingRun& run, const RunEvent& last, const Data& data, const TrainConfig& cfg) {
  const std::vector<uint8_t> bytes = run.checkpoint();
  Model m = small_model(42);
  TrainingRun resumed(m, data.run(), cfg, TestEvaluation::every_epoch);
  REQUIRE(resumed.restore(bytes.data(), bytes.size()).ok());
  CHECK(resumed.finished());
  CHECK(resumed.stopped_early() == run.stopped_early());
  CHECK(resumed.divergence() == run.divergence());
  RunEvent again = resumed.advance(SliceBudget::seconds(0));
  RunEvent expected = last;
  expected.epoch.reset();  // nothing ended now
  check_same(again, expected);
  CHECK(again.divergence == run.divergence());
}

TEST_CASE("a run that diverges after the checkpoint diverges at the same step; finished runs restore finished") {
  const Data data;
  TrainConfig cfg = config(OptimizerKind::momentum, 1);
  cfg.lr = 10;  // the loss grows past 100 times the first step's at step 7
  cfg.schedule.kind = ScheduleKind::constant;
  cfg.augment = Augment{};
  Model a = small_model(1);
  TrainingRun straight(a, data.run(), cfg, TestEvaluation::every_epoch);
  std::vector<RunEvent> expected;
  while (!straight.finished()) expected.push_back(straight.advance(SliceBudget::seconds(0)));
  REQUIRE(straight.divergence().find("training loss grew") != std::string::npos);
  REQUIRE(expected.size() > 5);

  // Two steps before the diverging one, and just before it.
  for (size_t k : {expected.size() - 3, expected.size() - 1}) {
    CAPTURE(k);
    Model b = small_model(1), c = small_model(7);
    TrainingRun first(b, data.run(), cfg, TestEvaluation::every_epoch);
    for (size_t i = 0; i < k; ++i) first.advance(SliceBudget::seconds(0));
    const std::vector<uint8_t> bytes = first.checkpoint();
    TrainingRun resumed(c, data.run(), cfg, TestEvaluation::every_epoch);
    REQUIRE(resumed.restore(bytes.data(), bytes.size()).ok());
    for (size_t i = k; i < expected.size(); ++i) {
      CAPTURE(i);
      const RunEvent e = resumed.advance(SliceBudget::seconds(0));
      check_same(e, expected[i]);  // the diverging step reports the step before it
      CHECK(e.divergence == expected[i].divergence);
    }
    CHECK(resumed.divergence() == straight.divergence());
    CHECK(same_bits(params(c), params(a)));
  }
  check_finished_resume(straight, expected.back(), data, cfg);

  // Stopped early.
  const TrainConfig early = config(OptimizerKind::adam, 1);
  Model d = small_model(1);
  TrainingRun stopped(d, data.run(), early, TestEvaluation::every_epoch);
  RunEvent last;
  while (!stopped.finished()) last = stopped.advance(SliceBudget::seconds(0));
  REQUIRE(stopped.stopped_early());
  check_finished_resume(stopped, last, data, early);
}

TEST_CASE("a checkpoint is also a model file, its extra tensors ignored") {
  const Data data;
  Model m = small_model(1);
  TrainingRun run(m, data.run(), config(OptimizerKind::adam, 1), TestEvaluation::at_end);
  train(run, 12);
  const std::vector<uint8_t> bytes = run.checkpoint();
  Result<Model> loaded = load_safetensors(bytes.data(), bytes.size(), "checkpoint");
  REQUIRE_MESSAGE(loaded.ok(), loaded.error());
  CHECK(same_bits(params(*loaded), params(m)));
  auto meta = safetensors_metadata(bytes.data(), bytes.size(), "checkpoint");
  REQUIRE(meta.ok());
  CHECK(meta->count("training_state") == 1);
  auto state = load_training_state_tensors(bytes.data(), bytes.size(), "checkpoint");
  REQUIRE(state.ok());
  CHECK(state->count("optimizer.m.layers.1.weight") == 1);
  CHECK(state->count("optimizer.v.layers.1.weight") == 1);
  CHECK(state->count("best.layers.1.weight") == 1);  // one epoch ended: early stopping kept weights
}

TEST_CASE("sgd keeps no moments; its checkpoint restores too") {
  const Data data;
  TrainConfig cfg = config(OptimizerKind::sgd, 1);
  Model a = small_model(1), b = small_model(1), c = small_model(5);
  TrainingRun straight(a, data.run(), cfg, TestEvaluation::at_end), first(b, data.run(), cfg, TestEvaluation::at_end);
  train(straight);
  train(first, 7);
  const std::vector<uint8_t> bytes = first.checkpoint();
  auto state = load_training_state_tensors(bytes.data(), bytes.size(), "checkpoint");
  REQUIRE(state.ok());
  CHECK(state->empty());
  TrainingRun resumed(c, data.run(), cfg, TestEvaluation::at_end);
  REQUIRE(resumed.restore(bytes.data(), bytes.size()).ok());
  while (!resumed.finished()) resumed.advance(SliceBudget::seconds(0));
  CHECK(same_bits(params(c), params(a)));
}

// ---- refusals ----

struct Refusal {
  Data data;
  TrainConfig cfg = config(OptimizerKind::adam, 1);
  std::vector<uint8_t> bytes;
  Refusal() {
    Model m = small_model(1);
    TrainingRun run(m, data.run(), cfg, TestEvaluation::at_end);
    train(run, 13);
    bytes = run.checkpoint();
  }
  // The error of restoring `file` into a run made from `model` and `config`; the run must
  // come out of it untouched: its weights as they were, and it trains as a fresh run does.
  std::string error(const std::vector<uint8_t>& file, int units = 16, const TrainConfig* other = nullptr,
                    const Dataset* train_set = nullptr) {
    const TrainConfig& c = other ? *other : cfg;
    const RunData run_data{train_set ? *train_set : data.train, data.misleading, &data.test};
    Model m = small_model(3, units), fresh = small_model(3, units);
    TrainingRun run(m, run_data, c, TestEvaluation::at_end), reference(fresh, run_data, c, TestEvaluation::at_end);
    const std::vector<float> before = params(m);
    const Status s = run.restore(file.data(), file.size());
    CHECK(same_bits(params(m), before));
    for (int i = 0; i < 12; ++i) {
      const RunEvent a = run.advance(SliceBudget::seconds(0)), b = reference.advance(SliceBudget::seconds(0));
      check_same(a, b);
    }
    CHECK(same_bits(params(m), params(fresh)));
    return s.error;
  }
};

bool contains(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }

// The byte offset, in the file, of tensor `name`'s data.
size_t tensor_offset(const std::vector<uint8_t>& f, const std::string& name) {
  uint64_t n = 0;
  for (int i = 7; i >= 0; --i) n = (n << 8) | f[i];
  const auto header = nlohmann::json::parse(f.begin() + 8, f.begin() + 8 + static_cast<long>(n));
  return 8 + static_cast<size_t>(n) + header[name]["data_offsets"][0].get<size_t>();
}

TEST_CASE("a checkpoint of another architecture is refused") {
  Refusal r;
  const std::string e = r.error(r.bytes, /*units=*/12);
  CHECK_MESSAGE(contains(e, "another architecture"), e);
}

TEST_CASE("a checkpoint of other settings is refused, whatever the setting") {
  Refusal r;
  TrainConfig other = r.cfg;
  other.lr = 2e-2f;
  std::string e = r.error(r.bytes, 16, &other);
  CHECK_MESSAGE(contains(e, "other settings"), e);
  other = r.cfg;
  other.seed = 2;
  CHECK(contains(r.error(r.bytes, 16, &other), "other settings"));
  other = r.cfg;
  other.optimizer.kind = OptimizerKind::rmsprop;
  CHECK(contains(r.error(r.bytes, 16, &other), "other settings"));
  other = r.cfg;
  other.epochs = 7;
  CHECK(contains(r.error(r.bytes, 16, &other), "other settings"));
}

TEST_CASE("a checkpoint of other training data is refused") {
  Refusal r;
  const Dataset other = squares(160, 66);
  const std::string e = r.error(r.bytes, 16, nullptr, &other);
  CHECK_MESSAGE(contains(e, "other training data"), e);
}

TEST_CASE("a model file without training state is refused as a checkpoint") {
  Refusal r;
  const Model m = small_model(1);
  const std::string e = r.error(save_safetensors(m));
  CHECK_MESSAGE(contains(e, "without a run's training state"), e);
}

TEST_CASE("a damaged checkpoint is refused") {
  Refusal r;
  std::vector<uint8_t> cut(r.bytes.begin(), r.bytes.end() - 4);
  CHECK_FALSE(r.error(cut).empty());

  // Non-finite values in the optimiser's moments.
  std::vector<uint8_t> nan = r.bytes;
  const float bad = std::numeric_limits<float>::quiet_NaN();
  std::memcpy(nan.data() + tensor_offset(nan, "optimizer.v.layers.1.weight") + 8, &bad, sizeof bad);
  std::string e = r.error(nan);
  CHECK_MESSAGE(contains(e, "optimizer.v.layers.1.weight holds NaN"), e);

  // Inconsistent counters in the training state (the header keeps its length: same digits).
  std::vector<uint8_t> edited = r.bytes;
  const std::string from = R"(\"global_step\":13)", to = R"(\"global_step\":14)";
  std::string text(edited.begin(), edited.end());
  const size_t at = text.find(from);
  REQUIRE(at != std::string::npos);
  std::memcpy(edited.data() + at, to.data(), to.size());
  e = r.error(edited);
  CHECK_MESSAGE(contains(e, "inconsistent (global step)"), e);

  // An optimiser tensor gone (renamed to one the model does not have).
  std::vector<uint8_t> renamed = r.bytes;
  text.assign(renamed.begin(), renamed.end());
  const size_t m_at = text.find("\"optimizer.m.layers.1.bias\"");
  REQUIRE(m_at != std::string::npos);
  renamed[m_at + 11] = 'x';  // "optimizer.x.layers.1.bias"
  e = r.error(renamed);
  CHECK_MESSAGE(contains(e, "optimizer.m.layers.1.bias is missing"), e);
}

}  // namespace
}  // namespace dt
