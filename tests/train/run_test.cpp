// The run driver on a small synthetic task: epoch reports arrive at the steps that end the
// epochs, validation and test results are there exactly when the run has those sets and asks
// for them, early stopping puts the best weights back and ends the run, and cutting a run into
// many small slices trains exactly the same weights as one straight run.
#include <doctest/doctest.h>

#include <cstring>
#include <vector>

#include "train/squares.h"
#include "data/augment.h"
#include "train/run.h"

namespace dt {
namespace {

// Small, with batch norm and dropout, so that every kind of per-step state is exercised.
Model small_model(uint64_t seed) {
  auto spec = model_spec_from_json(R"({"input":[12,12,1],"layers":[{"type":"flatten"},{"type":"dense","units":16},
      {"type":"batchnorm"},{"type":"relu"},{"type":"dropout","rate":0.1},{"type":"dense","units":10}]})");
  REQUIRE(spec.ok());
  auto m = Model::build(*spec);
  REQUIRE(m.ok());
  m->initialize(seed);
  return std::move(*m);
}

TrainConfig config(int epochs) {
  TrainConfig c;
  c.epochs = epochs;
  c.batch = 16;
  c.lr = 3e-3f;
  c.threads = 1;
  return c;
}

std::vector<float> params(const Model& m) { return std::vector<float>(m.params(), m.params() + m.num_params()); }

bool same_bits(const std::vector<float>& a, const std::vector<float>& b) {
  return a.size() == b.size() && std::memcmp(a.data(), b.data(), sizeof(float) * a.size()) == 0;
}

TEST_CASE("one-step slices: an epoch report at exactly the steps that end an epoch, done at the last") {
  const Dataset train = squares(100, 1), val = squares(30, 2);
  Model m = small_model(1);
  TrainingRun run(m, {train, val, nullptr}, config(3), TestEvaluation::at_end);
  const long steps_per_epoch = 7;  // 6 batches of 16 and one of 4
  std::vector<RunEvent> events;
  for (int guard = 0; guard < 100 && (events.empty() || !events.back().done); ++guard)
    events.push_back(run.advance(SliceBudget::seconds(0)));

  REQUIRE(events.size() == 3 * steps_per_epoch);  // a slice takes at least one step
  for (size_t i = 0; i < events.size(); ++i) {
    const RunEvent& e = events[i];
    const long step = static_cast<long>(i) + 1;
    CAPTURE(step);
    CHECK(e.progress.step.global_step == step);
    CHECK(e.progress.step.total_steps == 3 * steps_per_epoch);
    CHECK(e.progress.threads == 1);
    CHECK(e.progress.samples_per_second > 0);
    CHECK(e.progress.eta_seconds >= 0);
    CHECK(e.done == (step == 3 * steps_per_epoch));
    REQUIRE(e.epoch.has_value() == (step % steps_per_epoch == 0));
    if (!e.epoch) continue;
    CHECK(e.epoch->epoch == step / steps_per_epoch);
    CHECK(e.epoch->train_loss == e.progress.step.epoch_loss);
    CHECK(e.epoch->train_accuracy == e.progress.step.epoch_accuracy);
    CHECK_FALSE(e.epoch->stopped_early);
  }
  CHECK(events.back().progress.eta_seconds == 0);
  CHECK(run.finished());
  CHECK(run.epochs_completed() == 3);

  // A finished run trains nothing more.
  const std::vector<float> before = params(m);
  const RunEvent after = run.advance(SliceBudget::until_epoch_end());
  CHECK(after.done);
  CHECK_FALSE(after.epoch.has_value());
  CHECK(after.progress.step.global_step == 3 * steps_per_epoch);
  CHECK(same_bits(params(m), before));
}

TEST_CASE("until_epoch_end slices end at each epoch's last step") {
  const Dataset train = squares(100, 1), val = squares(30, 2);
  Model m = small_model(1);
  TrainingRun run(m, {train, val, nullptr}, config(2), TestEvaluation::at_end);
  RunEvent e = run.advance(SliceBudget::until_epoch_end());
  REQUIRE(e.epoch.has_value());
  CHECK(e.epoch->epoch == 1);
  CHECK(e.progress.step.global_step == 7);
  CHECK_FALSE(e.done);
  e = run.advance(SliceBudget::until_epoch_end());
  REQUIRE(e.epoch.has_value());
  CHECK(e.epoch->epoch == 2);
  CHECK(e.progress.step.global_step == 14);
  CHECK(e.done);
  CHECK(e.epoch->wall_seconds >= e.progress.train_seconds);  // evaluations take time too
}

// The page's worker says "evaluating" before the slice that evaluates: its slices stop one
// step short of each epoch's end and say so; the slice after takes that step and evaluates.
TEST_CASE("slices stopping before an epoch's end say the epoch ends next, then end it, training the same weights") {
  const Dataset train = squares(100, 1), val = squares(30, 2);
  Model stopped = small_model(1), straight = small_model(1);
  TrainingRun run(stopped, {train, val, nullptr}, config(2), TestEvaluation::at_end);
  TrainingRun reference(straight, {train, val, nullptr}, config(2), TestEvaluation::at_end);
  const SliceBudget budget = SliceBudget::until_epoch_end().stopping_before_epoch_end();
  const struct { long step; bool epoch, ends_next, done; } expected[] = {
      {6, false, true, false}, {7, true, false, false}, {13, false, true, false}, {14, true, false, true}};
  for (const auto& x : expected) {
    CAPTURE(x.step);
    const RunEvent e = run.advance(budget);
    CHECK(e.progress.step.global_step == x.step);
    CHECK(e.epoch.has_value() == x.epoch);
    CHECK(e.epoch_ends_next == x.ends_next);
    CHECK(e.done == x.done);
  }
  // Without the option a slice says it too, when it happens to stop there.
  RunEvent e;
  do {
    e = reference.advance(SliceBudget::seconds(0));
    CHECK(e.epoch_ends_next == (!e.done && (e.progress.step.global_step + 1) % 7 == 0));
  } while (!e.done);
  CHECK(same_bits(params(stopped), params(straight)));
}

TEST_CASE("validation and test results are there when the run has the sets and asks for them") {
  const Dataset train = squares(64, 3), val = squares(20, 4), test = squares(30, 5), none;

  SUBCASE("a validation set and a test set evaluated at every epoch's end (the page)") {
    Model m = small_model(2);
    TrainingRun run(m, {train, val, &test}, config(2), TestEvaluation::every_epoch);
    for (int epoch = 1; epoch <= 2; ++epoch) {
      const RunEvent e = run.advance(SliceBudget::until_epoch_end());
      REQUIRE(e.epoch.has_value());
      REQUIRE(e.epoch->validation.has_value());
      REQUIRE(e.epoch->test.has_value());
      CHECK(e.epoch->validation->confusion.total() == 20);
      CHECK(e.epoch->test->confusion.total() == 30);
      CHECK(e.epoch->test->predicted.size() == 30);
    }
  }
  SUBCASE("no validation set, the test set once at the end (the CLI with --val 0)") {
    Model m = small_model(2);
    TrainingRun run(m, {train, none, &test}, config(2), TestEvaluation::at_end);
    RunEvent e;
    while (!e.done) {
      e = run.advance(SliceBudget::until_epoch_end());
      REQUIRE(e.epoch.has_value());
      CHECK_FALSE(e.epoch->validation.has_value());
      CHECK_FALSE(e.epoch->test.has_value());
    }
    const EvalResult final_test = run.evaluate_test();
    CHECK(final_test.confusion.total() == 30);
    // The same weights as a fresh evaluation: evaluation changes nothing.
    CHECK(run.evaluate_test().loss == final_test.loss);
  }
  SUBCASE("a validation set but no test set") {
    Model m = small_model(2);
    TrainingRun run(m, {train, val, nullptr}, config(1), TestEvaluation::every_epoch);
    const RunEvent e = run.advance(SliceBudget::until_epoch_end());
    REQUIRE(e.epoch.has_value());
    CHECK(e.epoch->validation.has_value());
    CHECK_FALSE(e.epoch->test.has_value());
    CHECK(run.evaluate_test().confusion.total() == 0);
  }
}

TEST_CASE("early stopping puts the best epoch's weights back and ends the run") {
  // The validation labels are shifted: the better the model learns the true classes, the
  // higher its validation loss, so the first epoch stays the best.
  const Dataset train = squares(160, 6), misleading = squares(40, 7, /*label_shift=*/3), test = squares(30, 8);
  Model m = small_model(3);
  TrainConfig cfg = config(10);
  cfg.lr = 1e-2f;
  cfg.patience = 2;
  TrainingRun run(m, {train, misleading, &test}, cfg, TestEvaluation::every_epoch);

  RunEvent e = run.advance(SliceBudget::until_epoch_end());
  REQUIRE(e.epoch.has_value());
  const std::vector<float> best = params(m);
  const double best_loss = e.epoch->validation->loss;
  CHECK_FALSE(e.epoch->stopped_early);

  e = run.advance(SliceBudget::until_epoch_end());  // worse: one epoch without improvement
  REQUIRE(e.epoch.has_value());
  CHECK(e.epoch->validation->loss > best_loss);
  CHECK_FALSE(e.epoch->stopped_early);
  CHECK_FALSE(e.done);

  e = run.advance(SliceBudget::until_epoch_end());  // worse again: patience 2 runs out
  REQUIRE(e.epoch.has_value());
  CHECK(e.epoch->epoch == 3);
  CHECK(e.epoch->validation->loss > best_loss);
  CHECK(e.epoch->stopped_early);
  CHECK(e.done);
  CHECK(run.finished());
  CHECK(run.stopped_early());
  CHECK(run.epochs_completed() == 3);
  CHECK(same_bits(params(m), best));
  // The epoch's test result is of the restored weights.
  REQUIRE(e.epoch->test.has_value());
  CHECK(e.epoch->test->loss == run.evaluate_test().loss);
}

TEST_CASE("a run whose last epoch validates worse ends with its best epoch's weights") {
  // No early stopping: every epoch trains, and the best one's weights come back at the end.
  const Dataset train = squares(160, 6), misleading = squares(40, 7, /*label_shift=*/3), test = squares(30, 8);
  Model m = small_model(3);
  TrainConfig cfg = config(3);
  cfg.lr = 1e-2f;
  TrainingRun run(m, {train, misleading, &test}, cfg, TestEvaluation::every_epoch);

  RunEvent e = run.advance(SliceBudget::until_epoch_end());
  REQUIRE(e.epoch.has_value());
  const std::vector<float> best = params(m);
  const double best_loss = e.epoch->validation->loss;
  CHECK(e.epoch->restored_epoch == 0);
  e = run.advance(SliceBudget::until_epoch_end());
  REQUIRE(e.epoch.has_value());
  CHECK(e.epoch->validation->loss > best_loss);
  CHECK(e.epoch->restored_epoch == 0);  // not the last epoch: training goes on from here
  CHECK_FALSE(same_bits(params(m), best));
  e = run.advance(SliceBudget::until_epoch_end());
  REQUIRE(e.epoch.has_value());
  CHECK(e.epoch->validation->loss > best_loss);
  CHECK(e.done);
  CHECK_FALSE(e.epoch->stopped_early);
  CHECK(e.epoch->restored_epoch == 1);
  CHECK(same_bits(params(m), best));
  REQUIRE(e.epoch->test.has_value());
  CHECK(e.epoch->test->loss == run.evaluate_test().loss);  // the test result is the restored weights'
}

TEST_CASE("a run whose last epoch validates best keeps its last weights") {
  const Dataset train = squares(160, 6), val = squares(40, 7), test = squares(30, 8);
  Model m = small_model(3);
  TrainingRun run(m, {train, val, &test}, config(3), TestEvaluation::at_end);
  std::vector<double> losses;
  RunEvent e;
  while (!e.done) {
    e = run.advance(SliceBudget::until_epoch_end());
    if (e.epoch) losses.push_back(e.epoch->validation->loss);
  }
  REQUIRE(losses.size() == 3);
  REQUIRE(losses[2] < losses[0]);  // the task is learnable: the last epoch is the best
  REQUIRE(losses[2] < losses[1]);
  CHECK(e.epoch->restored_epoch == 0);
  // The same run without a validation set trains the same weights: nothing was put back.
  Model plain = small_model(3);
  const Dataset none;
  TrainingRun unvalidated(plain, {train, none, &test}, config(3), TestEvaluation::at_end);
  while (!unvalidated.advance(SliceBudget::until_epoch_end()).done) {
  }
  CHECK(same_bits(params(m), params(plain)));
}

TEST_CASE("a run cut into many small slices trains bit-identical weights to one straight run") {
  const Dataset train = squares(90, 9), val = squares(20, 10), test = squares(20, 11);
  TrainConfig cfg = config(3);
  cfg.augment = standard_augment();
  cfg.patience = 5;  // early stopping bookkeeping runs, without firing

  auto train_run = [&](SliceBudget budget, std::vector<double>* val_losses) {
    Model m = small_model(4);
    TrainingRun run(m, {train, val, &test}, cfg, TestEvaluation::every_epoch);
    int slices = 0;
    for (RunEvent e; !e.done; ++slices) {
      e = run.advance(budget);
      if (e.epoch) val_losses->push_back(e.epoch->validation->loss);
    }
    CHECK(slices >= 3);
    return params(m);
  };
  std::vector<double> straight_losses, sliced_losses;
  const std::vector<float> straight = train_run(SliceBudget::until_epoch_end(), &straight_losses);
  const std::vector<float> sliced = train_run(SliceBudget::seconds(0), &sliced_losses);
  CHECK(same_bits(straight, sliced));
  CHECK(straight_losses == sliced_losses);
  CHECK(straight_losses.size() == 3);
}

}  // namespace
}  // namespace dt
