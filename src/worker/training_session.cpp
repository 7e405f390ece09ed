#include "worker/training_session.h"

#include <nlohmann/json.hpp>

#include "io/safetensors.h"

namespace dt {

namespace {

using nlohmann::json;
using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point t0) { return std::chrono::duration<double>(Clock::now() - t0).count(); }

json confusion_json(const ConfusionMatrix& cm) {
  json rows = json::array();  // one row per true class
  for (int i = 0; i < ConfusionMatrix::K; ++i) {
    json row = json::array();
    for (int j = 0; j < ConfusionMatrix::K; ++j) row.push_back(cm.at(i, j));
    rows.push_back(row);
  }
  return rows;
}

}  // namespace

Status TrainingSession::add_dataset(const std::string& name, const IdxFiles& f) {
  Result<Dataset> train = parse_dataset(f.train_images.data, f.train_images.size, f.train_labels.data,
                                        f.train_labels.size, name + " training set");
  if (!train) return fail(train.error());
  Result<Dataset> test = parse_dataset(f.test_images.data, f.test_images.size, f.test_labels.data,
                                       f.test_labels.size, name + " test set");
  if (!test) return fail(test.error());
  if (train->height != 28 || train->width != 28 || test->height != 28 || test->width != 28)
    return fail(name + ": images must be 28x28");
  data_[name] = Data{std::move(*train), std::move(*test)};
  return Status::success();
}

const Dataset* TrainingSession::test_set(const std::string& name) const {
  auto it = data_.find(name);
  return it == data_.end() ? nullptr : &it->second.test;
}

Status TrainingSession::start(const std::string& config_json, int max_threads, Bytes weights) {
  Result<StartConfig> config = parse_start_config(config_json, max_threads);
  if (!config) return fail(config.error());
  auto it = data_.find(config->dataset);
  if (it == data_.end()) return fail("the " + config->dataset + " dataset is not loaded");
  Result<Model> model = Model::build(config->preset.model);
  if (!model) return fail(model.error());
  if (weights.data) {
    Result<Model> saved = load_safetensors(weights.data, weights.size, "saved weights");
    if (!saved) return fail(saved.error());
    if (to_json(saved->spec()) != to_json(config->preset.model))
      return fail("the saved weights are for a different model than preset " + config->preset.name);
    model = std::move(saved);
  }

  trainer_.reset();  // holds references into the previous run's model and data
  config_ = *config;
  const TrainConfig& t = config_.preset.train;
  split_ = split_validation(it->second.train, config_.preset.val_fraction, t.seed);
  test_ = &it->second.test;

  model_ = std::make_unique<Model>(std::move(*model));
  if (!weights.data) model_->initialize(t.seed);
  trainer_ = std::make_unique<Trainer>(*model_, split_.train, t);
  last_ = StepReport{};
  last_.steps_per_epoch = trainer_->steps_per_epoch();
  last_.total_steps = trainer_->total_steps();
  train_seconds_ = 0;
  test_predictions_.clear();
  return Status::success();
}

void TrainingSession::set_lr(float lr) {
  if (trainer_ && lr > 0) trainer_->set_lr(lr);
}

std::string TrainingSession::run_for(double budget_ms) {
  json out;
  if (!trainer_) return R"({"done":true})";
  const Clock::time_point t0 = Clock::now();
  bool epoch_end = false;
  while (!trainer_->finished()) {
    last_ = trainer_->step();
    if (last_.epoch_end) {
      epoch_end = true;
      break;
    }
    if (seconds_since(t0) * 1000.0 >= budget_ms) break;
  }
  train_seconds_ += seconds_since(t0);

  const TrainConfig& t = config_.preset.train;
  const double rate = train_seconds_ > 0 ? last_.samples_seen / train_seconds_ : 0.0;
  const long remaining = last_.total_steps - last_.global_step;
  out["progress"] = {{"epoch", last_.epoch + 1}, {"epochs", t.epochs},  // 1-based, the epoch in progress or just finished
                     {"step", last_.global_step},     {"stepInEpoch", last_.step_in_epoch},
                     {"stepsPerEpoch", last_.steps_per_epoch}, {"totalSteps", last_.total_steps},
                     {"samplesSeen", last_.samples_seen}, {"loss", last_.loss},
                     {"epochLoss", last_.epoch_loss},  {"trainAccuracy", last_.epoch_accuracy},
                     {"lr", last_.lr},                 {"samplesPerSecond", rate},
                     {"etaSeconds", rate > 0 ? remaining * t.batch / rate : 0.0},
                     {"trainSeconds", train_seconds_}, {"threads", trainer_->threads()}};

  if (epoch_end) {
    const EvalResult val = trainer_->evaluate(split_.val);
    bool stop_early = t.patience > 0 && trainer_->end_epoch(val);
    const EvalResult test = trainer_->evaluate(*test_);
    test_predictions_ = test.predicted;
    const ConfusionMatrix& cm = test.confusion;
    out["epoch"] = {{"epoch", last_.epoch + 1},        {"trainLoss", last_.epoch_loss},
                    {"trainAccuracy", last_.epoch_accuracy}, {"valLoss", val.loss},
                    {"valAccuracy", val.accuracy()},   {"testLoss", test.loss},
                    {"testAccuracy", test.accuracy()}, {"kappa", cm.cohen_kappa()},
                    {"macroF1", cm.macro_f1()},        {"confusion", confusion_json(cm)},
                    {"stoppedEarly", stop_early}};
  }
  out["done"] = trainer_->finished();
  return out.dump();
}

std::string TrainingSession::settings_json() const {
  if (!trainer_) return "{}";
  const TrainConfig& t = config_.preset.train;
  return json{{"preset", config_.preset.name},
              {"dataset", config_.dataset},
              {"epochs", t.epochs},
              {"batch", t.batch},
              {"lr", t.lr},
              {"optimizer", optimizer_name(t.optimizer.kind)},
              {"threads", trainer_->threads()},
              {"augment", {{"rotate", t.augment.rotate_degrees}, {"scale", t.augment.scale}, {"shift", t.augment.shift}}}}
      .dump();
}

std::vector<uint8_t> TrainingSession::weights() const {
  if (!model_) return {};
  return save_safetensors(*model_, {{"preset", config_.preset.name}, {"dataset", config_.dataset}});
}

}  // namespace dt
