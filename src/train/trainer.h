// The training loop, one batch at a time. It knows nothing about who watches it: the CLI
// prints a progress bar from the reports, the browser's worker posts them to the UI, tests
// just look at the numbers.
//
// Each batch is split into one contiguous shard per thread. Every shard assembles its own
// samples (with augmentation), runs forward, loss and backward into its own gradient buffer;
// the shards' gradients are then summed in shard order, so a given seed and thread count give
// bit-identical runs.
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "data/augment.h"
#include "data/dataset.h"
#include "nn/model.h"
#include "nn/ops/loss.h"
#include "train/evaluate.h"
#include "metrics/metrics.h"
#include "recipe/train_config.h"
#include "train/optimizer.h"
#include "train/schedule.h"
#include "util/thread_pool.h"

namespace dt {

struct StepReport {
  int epoch = 0;              // 0-based
  long step_in_epoch = 0;     // 1-based: batches done in this epoch
  long steps_per_epoch = 0;
  int64_t global_step = 0;    // batches done in the run (64-bit: long is 32 bits in wasm)
  int64_t total_steps = 0;
  int64_t samples_seen = 0;
  float loss = 0;             // this batch's mean loss
  float epoch_loss = 0;       // running mean over the epoch so far
  float epoch_accuracy = 0;   // running training accuracy over the epoch so far
  float lr = 0;
  bool epoch_end = false;     // this step finished an epoch
};

// A layer's weights and their gradient at the last step, as means of absolute values: the
// classic check for layers that have died (|grad| / |w| near 0) or explode (it grows).
struct WeightStatistics {
  int layer = 0;  // 0-based index in the model
  float mean_abs_weight = 0, mean_abs_grad = 0;
};

class Trainer {
 public:
  Trainer(Model& model, const Dataset& train, const TrainConfig& config);
  ~Trainer();

  const TrainConfig& config() const { return cfg_; }
  // A new base learning rate from the next step on (the schedule still applies to it).
  void set_lr(float lr) { cfg_.lr = lr; }
  int threads() const;
  long steps_per_epoch() const { return steps_per_epoch_; }
  int64_t total_steps() const { return int64_t(steps_per_epoch_) * cfg_.epochs; }
  int64_t global_step() const { return global_step_; }
  bool finished() const { return stopped_early_ || diverged() || global_step_ >= total_steps(); }
  bool stopped_early() const { return stopped_early_; }

  // Trains on the next batch.
  StepReport step();

  // The divergence guard: a step whose loss or gradients are not finite, or whose loss has
  // grown past kLossGrowth times the first step's, changes no weight and ends the run; the
  // weights stay those of the last good step. Empty while training is sound, else what
  // happened, at which step, and what to do.
  static constexpr double kLossGrowth = 100.0;
  bool diverged() const { return !divergence_.empty(); }
  const std::string& divergence() const { return divergence_; }

  // Inference over a whole dataset (no dropout, batch norm on running statistics).
  EvalResult evaluate(const Dataset& data) { return dt::evaluate(model_, data, *pool_, ws_); }

  // Fed with each epoch's validation result: keeps a copy of the weights of the epoch with the
  // lowest validation loss so far, so that a run keeps its best model rather than its last.
  // They are put back when early stopping fires (patience epochs without a better loss; the
  // return value is then true: training should stop) and when the last epoch ends worse than
  // an earlier one.
  bool end_epoch(const EvalResult& validation);
  // The 1-based epoch whose weights end_epoch put back, or 0 while the weights are the latest.
  int restored_epoch() const { return restored_epoch_; }

  // For every layer with a weight tensor (conv, dense): its mean |w| and mean |gradient| after
  // the last step (the gradient includes L1/L2 when set). Zeros before the first step.
  std::vector<WeightStatistics> weight_statistics() const;

  // probs (n, classes) for n images of floats in [0,1].
  void predict(float* probs, const float* pixels, int n) { predict_probs(probs, model_, ws_[0], pixels, n); }

 private:
  friend class TrainingRun;  // its checkpoint() and restore() (train/run_checkpoint.cpp) read and set the state below
  void start_epoch();
  StepReport diverge(const std::string& what);
  double shard_loss(int t, int n, float grad_scale, long* correct);

  Model& model_;
  const Dataset& train_;
  TrainConfig cfg_;
  float start_lr_;  // cfg_.lr as the run began, before any set_lr (a checkpoint's config has it)
  std::unique_ptr<ThreadPool> pool_;
  Optimizer optimizer_;
  std::vector<Workspace> ws_;
  std::vector<AlignedBuffer> grads_;           // per shard; grads_[0] also receives the sum
  std::vector<std::vector<uint8_t>> labels_;   // per shard
  std::vector<AlignedBuffer> probs_;           // per shard (max_n, classes)
  std::vector<int> order_;
  // Per-step scratch, sized once, so that a step allocates nothing.
  std::vector<double> shard_loss_;
  std::vector<long> shard_correct_;
  std::vector<const float*> shard_saved_;
  std::vector<int> shard_n_;
  long steps_per_epoch_ = 0;
  int64_t global_step_ = 0, samples_seen_ = 0;
  double first_loss_ = 0;   // the first step's mean loss: the divergence guard's yardstick
  std::string divergence_;
  StepReport last_report_;
  std::vector<char> slice_finite_;  // per thread: its slice of the summed gradients is finite
  int epoch_ = 0;
  long pos_ = 0;
  double epoch_loss_sum_ = 0;
  long epoch_correct_ = 0, epoch_samples_ = 0;
  double best_val_loss_ = 1e300;
  int best_epoch_ = 0;      // 1-based; 0 before the first validation
  int restored_epoch_ = 0;
  int epochs_without_improvement_ = 0;
  bool stopped_early_ = false;
  AlignedBuffer best_params_;
};

}  // namespace dt
