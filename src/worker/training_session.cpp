#include "worker/training_session.h"

#include <algorithm>

#include <nlohmann/json.hpp>

#include "data/augment.h"
#include "data/dataset_info.h"
#include "io/safetensors.h"
#include "nn/predict.h"
#include "nn/spec.h"
#include "quant/predict_int8.h"
#include "train/evaluate.h"
#include "train/int8_evaluation.h"
#include "metrics/metrics_json.h"
#include "train/augment_json.h"
#include "train/memory_budget.h"
#include "util/stopwatch.h"
#include "util/thread_pool.h"
#include "util/digit_shape.h"

namespace dt {

namespace {

using nlohmann::json;

json progress_json(const RunProgress& p, int epochs) {
  const StepReport& r = p.step;
  return {{"epoch", r.epoch + 1},  // 1-based, the epoch in progress or just finished
          {"epochs", epochs},
          {"step", r.global_step},
          {"stepInEpoch", r.step_in_epoch},
          {"stepsPerEpoch", r.steps_per_epoch},
          {"totalSteps", r.total_steps},
          {"samplesSeen", r.samples_seen},
          {"loss", r.loss},
          {"epochLoss", r.epoch_loss},
          {"trainAccuracy", r.epoch_accuracy},
          {"lr", r.lr},
          {"samplesPerSecond", p.samples_per_second},
          {"etaSeconds", p.eta_seconds},
          {"trainSeconds", p.train_seconds},
          {"threads", p.threads}};
}

// The session always has a test set and evaluates it at every epoch's end.
json epoch_json(const EpochReport& e) {
  const EvalResult& test = *e.test;
  const ConfusionMatrix& cm = test.confusion;
  // Without a validation set (the fast preset) there is no validation value: null, so the
  // page draws no point rather than a made-up zero.
  const json val_loss = e.validation ? json(e.validation->loss) : json(nullptr);
  const json val_accuracy = e.validation ? json(e.validation->accuracy()) : json(nullptr);
  return {{"epoch", e.epoch},
          {"trainLoss", e.train_loss},
          {"trainAccuracy", e.train_accuracy},
          {"valLoss", val_loss},
          {"valAccuracy", val_accuracy},
          {"testLoss", test.loss},
          {"testAccuracy", test.accuracy()},
          {"kappa", cm.cohen_kappa()},
          {"macroF1", cm.macro_f1()},
          {"confusion", confusion_json(cm)},
          {"stoppedEarly", e.stopped_early},
          {"restoredEpoch", e.restored_epoch}};
}

json settings_of(const StartConfig& c, int threads) {
  const TrainConfig& t = c.preset.train;
  return {{"preset", c.preset.name},
          {"dataset", c.dataset},
          {"epochs", t.epochs},
          {"batch", t.batch},
          {"lr", t.lr},
          {"optimizer", optimizer_name(t.optimizer.kind)},
          {"momentum", t.optimizer.momentum},
          {"schedule", schedule_name(t.schedule.kind)},
          {"loss", loss_name(t.loss)},
          {"focal_gamma", t.focal_gamma},
          {"label_smoothing", t.label_smoothing},
          {"l1", t.optimizer.l1},
          {"l2", t.optimizer.l2},
          {"val", c.preset.val_fraction},
          {"patience", t.patience},
          {"threads", threads},
          {"augment", augment_json(t.augment)}};
}

}  // namespace

Status TrainingSession::add_dataset(const std::string& name, const IdxFiles& f) {
  Result<Dataset> train = parse_dataset(f.train_images.data, f.train_images.size, f.train_labels.data,
                                        f.train_labels.size, name + " training set");
  if (!train) return fail(train.error());
  Result<Dataset> test = parse_dataset(f.test_images.data, f.test_images.size, f.test_labels.data,
                                       f.test_labels.size, name + " test set");
  if (!test) return fail(test.error());
  if (train->height != kDigitSide || train->width != kDigitSide || test->height != kDigitSide || test->width != kDigitSide)
    return fail(name + ": images must be " + std::to_string(kDigitSide) + "x" + std::to_string(kDigitSide));
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
  const TrainConfig& wanted = config->preset.train;
  const int threads = wanted.threads > 0 ? wanted.threads : ThreadPool::hardware_threads();
  if (Status s = check_training_memory(*model, wanted, threads, training_memory_budget()); !s) return fail(s.error);

  run_.reset();  // holds references into the previous run's model and data
  config_ = *config;
  config_json_ = config_json;
  const TrainConfig& t = config_.preset.train;
  split_ = split_validation(it->second.train, config_.preset.val_fraction, t.seed);
  test_ = &it->second.test;

  model_ = std::make_unique<Model>(std::move(*model));
  if (!weights.data) model_->initialize(t.seed);
  run_ = std::make_unique<TrainingRun>(*model_, RunData{split_.train, split_.val, test_}, t, TestEvaluation::every_epoch);
  test_predictions_.clear();
  test_probabilities_.clear();
  return Status::success();
}

Result<std::string> TrainingSession::checkpoint_config(Bytes checkpoint) {
  if (!checkpoint.data) return Error{"the checkpoint is empty"};
  auto meta = safetensors_metadata(checkpoint.data, checkpoint.size, "the checkpoint");
  if (!meta) return Error{meta.error()};
  const auto saved = meta->find("start_config");
  if (saved == meta->end())
    return Error{"the checkpoint has no start config: it is a model file, not a run saved by the page"};
  Result<StartConfig> config = parse_start_config(saved->second, 1);
  if (!config) return Error{"the checkpoint's start config is not valid: " + config.error()};
  return saved->second;
}

Result<std::string> TrainingSession::checkpoint_dataset(Bytes checkpoint) {
  Result<std::string> json = checkpoint_config(checkpoint);
  if (!json) return json;
  return parse_start_config(*json, 1)->dataset;
}

Status TrainingSession::resume(Bytes checkpoint, int max_threads) {
  Status s = resume_run(checkpoint, max_threads);
  if (!s) {
    run_.reset();  // before the model it trains
    model_.reset();
  }
  return s;
}

Status TrainingSession::resume_run(Bytes checkpoint, int max_threads) {
  Result<std::string> config_json = checkpoint_config(checkpoint);
  if (!config_json) return fail(config_json.error());
  const std::string dataset = parse_start_config(*config_json, 1)->dataset;
  if (!has_dataset(dataset))
    return fail("the checkpoint's run trains on the " + dataset + " dataset, which is not loaded; load it first");
  if (Status s = start(*config_json, max_threads, checkpoint); !s) return s;
  return run_->restore(checkpoint.data, checkpoint.size);
}

void TrainingSession::set_lr(float lr) {
  if (run_ && lr > 0) run_->set_lr(lr);
}

std::string TrainingSession::run_for(double budget_ms) {
  if (!run_) return R"({"done":true})";
  // Slices stop short of an epoch's last step, so that the worker can say the evaluation
  // (seconds long, in the next slice) is coming before it starts.
  RunEvent e = run_->advance(SliceBudget::seconds(budget_ms / 1000.0).stopping_before_epoch_end());
  json out;
  out["progress"] = progress_json(e.progress, config_.preset.train.epochs);
  json layers = json::array();  // [layer, mean |w|, mean |grad|] for each weighted layer
  for (const WeightStatistics& s : run_->weight_statistics()) layers.push_back({s.layer, s.mean_abs_weight, s.mean_abs_grad});
  out["progress"]["layerStats"] = layers;
  if (e.epoch) {
    out["epoch"] = epoch_json(*e.epoch);
    test_predictions_ = std::move(e.epoch->test->predicted);
    test_probabilities_ = std::move(e.epoch->test->probabilities);
  }
  out["done"] = e.done;
  out["epochEndsNext"] = e.epoch_ends_next;
  if (!e.divergence.empty()) out["error"] = e.divergence;  // the weights stay the last good ones
  return out.dump();
}

std::string TrainingSession::preview_data(const std::string& config_json, int max_threads, uint64_t sample_seed, int count) {
  preview_ = DataPreview{};
  Result<StartConfig> config = parse_start_config(config_json, max_threads);
  if (!config) return json{{"error", config.error()}}.dump();
  const auto it = data_.find(config->dataset);
  if (it == data_.end())
    return json{{"error", "the " + config->dataset + " training set is not loaded yet: it downloads when a run on it starts"}}.dump();
  const TrainConfig& t = config->preset.train;
  preview_ = preview_training_data(it->second.train, config->preset.val_fraction, t.seed, t.augment, sample_seed,
                                   std::clamp(count, 0, 256));
  return json{{"dataset", config->dataset},
              {"trainCounts", preview_.train_counts},
              {"valCounts", preview_.val_counts},
              {"augment", augment_json(t.augment)}}
      .dump();
}

std::string TrainingSession::settings_json() const {
  if (!run_) return "{}";
  return settings_of(config_, run_->threads()).dump();
}

Result<std::string> TrainingSession::model_file_dataset(Bytes file, const std::string& name) {
  auto meta = safetensors_metadata(file.data, file.size, name);
  if (!meta) return Error{meta.error()};
  const auto it = meta->find("dataset");
  const std::string dataset = it == meta->end() ? "mnist" : it->second;
  if (!is_known_dataset(dataset))
    return Error{name + " says it was trained on '" + dataset + "', a dataset the page does not have (" + dataset_choices() + ")"};
  return dataset;
}

std::string TrainingSession::evaluate_model(Bytes file, const std::string& name, int max_threads) {
  test_predictions_.clear();
  test_probabilities_.clear();
  Result<std::string> dataset = model_file_dataset(file, name);
  if (!dataset) return json{{"error", dataset.error()}}.dump();
  Result<Model> model = load_safetensors(file.data, file.size, name);
  if (!model) return json{{"error", model.error()}}.dump();
  const Dataset* test = test_set(*dataset);
  if (!test) return json{{"error", name + ": the " + *dataset + " dataset is not loaded"}}.dump();
  const Shape3 in = model->input_shape();
  if (in.h != test->height || in.w != test->width || in.c != 1)
    return json{{"error", name + ": the model takes " + std::to_string(in.h) + "x" + std::to_string(in.w) + "x" + std::to_string(in.c) +
                              " inputs, not the " + std::to_string(test->height) + "x" + std::to_string(test->width) +
                              " images the page has"}}
        .dump();
  // The recipe Continue trains it with: the file's preset where it names one, on the file's layers.
  std::string preset = "keras-cnn";
  if (auto meta = safetensors_metadata(file.data, file.size, name); meta && meta->count("preset") &&
                                                                          find_preset(meta->at("preset")))
    preset = meta->at("preset");
  const json architecture = json::parse(to_json(model->spec()));
  Result<StartConfig> config =
      parse_start_config(json{{"preset", preset}, {"dataset", *dataset}, {"architecture", architecture}}.dump(), max_threads);
  if (!config) return json{{"error", name + ": its model cannot be trained here: " + config.error()}}.dump();

  Evaluator evaluator(*model, max_threads);
  EvalResult r = evaluator.run(*test);
  const ConfusionMatrix& cm = r.confusion;
  json out{{"dataset", *dataset},
           {"preset", preset},
           {"architecture", architecture},
           {"layers", describe(model->spec())},
           {"parameters", model->num_trainable()},
           {"settings", settings_of(*config, config->preset.train.threads)},
           {"epoch",
            {{"testLoss", r.loss},
             {"testAccuracy", r.accuracy()},
             {"kappa", cm.cohen_kappa()},
             {"macroF1", cm.macro_f1()},
             {"confusion", confusion_json(cm)}}}};
  test_predictions_ = std::move(r.predicted);
  test_probabilities_ = std::move(r.probabilities);
  return out.dump();
}

namespace {

// Microseconds per call of `predict` on one image, the best of a few rounds over `count`
// images: what the pad's guess costs.
template <class Predict>
double one_image_us(const float* pixels, long image_size, int count, Predict&& predict) {
  return best_seconds(1, 3, [&] {
           for (int i = 0; i < count; ++i) predict(pixels + i * image_size);
         }) / count * 1e6;
}

}  // namespace

std::string TrainingSession::quantize_model(Bytes file, const std::string& name, int max_threads) {
  quantized_.clear();
  Result<std::string> dataset = model_file_dataset(file, name);
  if (!dataset) return json{{"error", dataset.error()}}.dump();
  Result<Model> model = load_safetensors(file.data, file.size, name);
  if (!model) return json{{"error", model.error()}}.dump();
  auto it = data_.find(*dataset);
  if (it == data_.end()) return json{{"error", name + ": the " + *dataset + " dataset is not loaded"}}.dump();
  const Dataset& train = it->second.train;
  const Dataset& test = it->second.test;
  Result<QuantizeResult> q = quantize_on(*model, train, kCalibrationImages, /*seed=*/1);
  if (!q) return json{{"error", name + ": " + q.error()}}.dump();

  const EvalResult before = Evaluator(*model, max_threads).run(test);
  const EvalResult after = evaluate_int8(q->model, test);
  // One image at a time, as the pad asks: the first test images, as the network sees them.
  const int timed = std::min(64, test.count);
  const long P = model->input_shape().size();
  std::vector<float> pixels(static_cast<size_t>(timed) * P);
  for (int i = 0; i < timed; ++i)
    load_sample(pixels.data() + i * P, test.image(i), test.height, test.width, Augment{}, nullptr);
  std::vector<float> probs(model->classes());
  Workspace ws(*model, 1);
  QuantWorkspace qws(q->model, 1);
  const double float_us =
      one_image_us(pixels.data(), P, timed, [&](const float* x) { predict_probs(probs.data(), *model, ws, x, 1); });
  const double int8_us =
      one_image_us(pixels.data(), P, timed, [&](const float* x) { predict_probs_int8(probs.data(), q->model, qws, x, 1); });

  quantized_ = std::move(q->bytes);
  return json{{"dataset", *dataset},
              {"calibration", std::min(kCalibrationImages, train.count)},
              {"floatAccuracy", before.accuracy()},
              {"int8Accuracy", after.accuracy()},
              {"floatBytes", file.size},
              {"int8Bytes", quantized_.size()},
              {"floatUs", float_us},
              {"int8Us", int8_us}}
      .dump();
}

std::vector<uint8_t> TrainingSession::weights() const {
  if (!model_) return {};
  return save_safetensors(*model_, {{"preset", config_.preset.name}, {"dataset", config_.dataset}});
}

std::vector<uint8_t> TrainingSession::checkpoint() const {
  if (!run_) return {};
  return run_->checkpoint(
      {{"preset", config_.preset.name}, {"dataset", config_.dataset}, {"start_config", config_json_}});
}

}  // namespace dt
