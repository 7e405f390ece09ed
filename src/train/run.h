// One training run, advanced in slices, for every front end. It owns the Trainer and the
// end-of-epoch sequence (validation, early stopping, the test set) and measures the speed;
// front ends only render what it returns: the CLI as a progress bar, text or JSON lines, the
// page's worker as messages between which it handles pause, stop and a new learning rate.
// It never prints and knows no front end.
//
//   TrainingRun run(model, {train, validation, &test}, config, TestEvaluation::at_end);
//   RunEvent e;
//   do {
//     e = run.advance(SliceBudget::seconds(0.1));
//     ... render e.progress, and e.epoch when the slice ended an epoch ...
//   } while (!e.done);
//   const EvalResult test = run.evaluate_test();
#pragma once
#include <cstdint>
#include <limits>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "data/dataset.h"
#include "nn/model.h"
#include "train/evaluate.h"
#include "train/trainer.h"
#include "util/stopwatch.h"

namespace dt {

// What a run trains and evaluates on. The datasets must outlive the run.
struct RunData {
  const Dataset& train;
  const Dataset& validation;      // may be empty: then no validation and no early stopping
  const Dataset* test = nullptr;  // optional
};

// When the run evaluates the test set by itself.
enum class TestEvaluation {
  every_epoch,  // at each epoch's end (the page shows the test confusion matrix as it learns)
  at_end,       // never by itself: the caller asks once, with evaluate_test() (the CLI)
};

// How long one advance() may train. It takes at least one step, and always returns at an
// epoch's end so that the epoch can be reported. stopping_before_epoch_end() also returns
// before the step that ends an epoch (once it has taken one), so that a front end can say
// that the slow end-of-epoch evaluation comes next before it asks for it.
class SliceBudget {
 public:
  static SliceBudget seconds(double s) { return SliceBudget(s); }
  static SliceBudget until_epoch_end() { return SliceBudget(std::numeric_limits<double>::infinity()); }
  SliceBudget stopping_before_epoch_end() const {
    SliceBudget b = *this;
    b.stop_before_epoch_end_ = true;
    return b;
  }
  double limit_seconds() const { return seconds_; }
  bool stops_before_epoch_end() const { return stop_before_epoch_end_; }

 private:
  explicit SliceBudget(double s) : seconds_(s) {}
  double seconds_;
  bool stop_before_epoch_end_ = false;
};

struct RunProgress {
  StepReport step;                // the latest step; before the first, zeros with the run's sizes
  double samples_per_second = 0;  // over the time spent training, evaluations left out
  double eta_seconds = 0;         // training time left at that speed (0 until it is known)
  double train_seconds = 0;       // time spent training so far
  int threads = 0;
};

struct EpochReport {
  int epoch = 0;  // 1-based
  float train_loss = 0, train_accuracy = 0;  // over the epoch's batches, as they were trained
  std::optional<EvalResult> validation;      // when the run has a validation set
  std::optional<EvalResult> test;            // with TestEvaluation::every_epoch and a test set
  bool stopped_early = false;  // early stopping fired: the best weights are back, the run ends
  // When nonzero, the run has ended and its weights are back to those of this earlier epoch,
  // the one with the lowest validation loss (after early stopping, or a last epoch that was
  // worse): a run keeps its best model, not its last. Its test result is of those weights.
  int restored_epoch = 0;
  double wall_seconds = 0;     // since the run was made, this epoch's evaluations included
};

struct RunEvent {
  RunProgress progress;
  std::optional<EpochReport> epoch;  // when this slice ended an epoch
  bool done = false;                 // every epoch trained, stopped early, or diverged
  std::string divergence;            // why the run stopped when it diverged (Trainer::divergence)
  bool epoch_ends_next = false;      // the next step ends an epoch: its evaluations follow it
};

class TrainingRun {
 public:
  TrainingRun(Model& model, RunData data, const TrainConfig& config, TestEvaluation test);
  TrainingRun(const TrainingRun&) = delete;  // the trainer holds references into the run
  TrainingRun& operator=(const TrainingRun&) = delete;

  // Trains until the budget has passed, an epoch ends or the run finishes; at an epoch's end
  // it validates, applies early stopping and (every_epoch) tests. After the run has finished
  // it trains nothing and returns the last progress with done set.
  RunEvent advance(SliceBudget budget);

  // The test set's loss and confusion matrix for the current weights (empty without a test set).
  EvalResult evaluate_test();

  bool finished() const { return trainer_.finished(); }
  bool stopped_early() const { return trainer_.stopped_early(); }
  const std::string& divergence() const { return trainer_.divergence(); }
  int epochs_completed() const { return static_cast<int>(trainer_.global_step() / trainer_.steps_per_epoch()); }
  int threads() const { return trainer_.threads(); }
  std::vector<WeightStatistics> weight_statistics() const { return trainer_.weight_statistics(); }
  const TrainConfig& config() const { return trainer_.config(); }
  // A new base learning rate from the next step on (the schedule still applies to it).
  void set_lr(float lr) { trainer_.set_lr(lr); }

  // An exact checkpoint (train/run_checkpoint.cpp): a .safetensors model file that also holds
  // the optimiser's moments and step count, the run's position (epoch, batch, step), the
  // epoch's running sums, the learning rate and the early-stopping state. `metadata` is stored
  // beside them. A run made like this one (same architecture, data, config and threads) that
  // restores it trains on to bit-identical weights and the same reports.
  std::vector<uint8_t> checkpoint(const std::map<std::string, std::string>& metadata = {}) const;
  // Takes a checkpoint's state. Refuses, changing nothing, a file that is damaged, holds
  // non-finite values, or was made by a run with another architecture, config or data.
  Status restore(const uint8_t* bytes, size_t size);

 private:
  RunProgress progress() const;
  EpochReport end_epoch();
  bool epoch_ends_next() const;

  RunData data_;
  TestEvaluation test_evaluation_;
  Trainer trainer_;
  StepReport last_;
  double train_seconds_ = 0;
  Stopwatch wall_;
};

}  // namespace dt
