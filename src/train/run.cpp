#include "train/run.h"

namespace dt {

TrainingRun::TrainingRun(Model& model, RunData data, const TrainConfig& config, TestEvaluation test)
    : data_(data), test_evaluation_(test), trainer_(model, data.train, config) {
  last_.steps_per_epoch = trainer_.steps_per_epoch();
  last_.total_steps = trainer_.total_steps();
}

RunEvent TrainingRun::advance(SliceBudget budget) {
  RunEvent event;
  const Stopwatch slice;
  bool epoch_end = false;
  while (!trainer_.finished()) {
    last_ = trainer_.step();
    if (last_.epoch_end) {
      epoch_end = true;
      break;
    }
    if (slice.seconds() >= budget.limit_seconds()) break;
    if (budget.stops_before_epoch_end() && epoch_ends_next()) break;
  }
  train_seconds_ += slice.seconds();
  event.progress = progress();
  if (epoch_end && !trainer_.diverged()) event.epoch = end_epoch();
  event.done = trainer_.finished();
  event.divergence = trainer_.divergence();
  event.epoch_ends_next = !event.done && epoch_ends_next();
  return event;
}

// Epochs end at multiples of steps_per_epoch (total_steps is their product with the epochs).
bool TrainingRun::epoch_ends_next() const { return (trainer_.global_step() + 1) % trainer_.steps_per_epoch() == 0; }

RunProgress TrainingRun::progress() const {
  RunProgress p;
  p.step = last_;
  p.train_seconds = train_seconds_;
  p.samples_per_second = train_seconds_ > 0 ? last_.samples_seen / train_seconds_ : 0.0;
  const int64_t steps_left = last_.total_steps - last_.global_step;
  p.eta_seconds = p.samples_per_second > 0 ? steps_left * double(trainer_.config().batch) / p.samples_per_second : 0.0;
  p.threads = trainer_.threads();
  return p;
}

// Validation first, so that the best epoch's weights are back (early stopping, or a last epoch
// that was worse) before the test.
EpochReport TrainingRun::end_epoch() {
  EpochReport r;
  r.epoch = last_.epoch + 1;
  r.train_loss = last_.epoch_loss;
  r.train_accuracy = last_.epoch_accuracy;
  if (data_.validation.count > 0) {
    r.validation = trainer_.evaluate(data_.validation);
    r.stopped_early = trainer_.end_epoch(*r.validation);
    r.restored_epoch = trainer_.restored_epoch();
  }
  if (data_.test && test_evaluation_ == TestEvaluation::every_epoch) r.test = trainer_.evaluate(*data_.test);
  r.wall_seconds = wall_.seconds();
  return r;
}

EvalResult TrainingRun::evaluate_test() { return data_.test ? trainer_.evaluate(*data_.test) : EvalResult{}; }

}  // namespace dt
