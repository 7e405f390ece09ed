// A run's exact checkpoint as one .safetensors file. Beside the model's tensors (so that the
// file is also a model for eval and predict) it holds:
//   optimizer.m.<tensor>, optimizer.v.<tensor>  the optimiser's moments, per trainable tensor
//                                               (m for every rule but plain sgd, v for adam)
//   best.<tensor>                               early stopping's best weights, once it has some
// and, in the metadata:
//   checkpoint      the format's version
//   train_config    the run's config as it began (threads left out: they change only how the
//                   batch is split, and a page may resume on a machine with other cores)
//   training_state  the counters: epoch and position in it, global step, samples seen, the
//                   epoch's running loss and accuracy sums, the current learning rate, the
//                   optimiser's step count, the divergence guard's first loss, early stopping's
//                   best loss and epochs without improvement, the latest step report, the
//                   training time so far, and the training data's size and label checksum.
// The shuffle order, augmentation and dropout are drawn from the seed, the epoch, the sample
// index and the global step, so they are recomputed rather than stored.
#include <cmath>
#include <cstdio>
#include <cstring>
#include <type_traits>
#include <nlohmann/json.hpp>

#include "io/safetensors.h"
#include "train/augment_json.h"
#include "train/run.h"

namespace dt {

namespace {

using nlohmann::json;

constexpr const char* kVersion = "1";
const std::string kWhat = "the checkpoint";

// Every setting that decides the steps to come, in one canonical text.
std::string train_config_json(const TrainConfig& c, float lr) {
  const OptimizerConfig& o = c.optimizer;
  const Schedule& s = c.schedule;
  json j{{"epochs", c.epochs},
         {"batch", c.batch},
         {"lr", lr},
         {"optimizer",
          {{"kind", optimizer_name(o.kind)}, {"momentum", o.momentum}, {"beta1", o.beta1}, {"beta2", o.beta2},
           {"rho", o.rho}, {"eps", o.eps}, {"l1", o.l1}, {"l2", o.l2}}},
         {"schedule",
          {{"kind", schedule_name(s.kind)}, {"step_gamma", s.step_gamma}, {"step_epochs", s.step_epochs},
           {"warmup", s.warmup}, {"div", s.div}, {"final_div", s.final_div}}},
         {"loss", loss_name(c.loss)},
         {"focal_gamma", c.focal_gamma},
         {"augment", augment_json(c.augment)},
         {"seed", c.seed},
         {"patience", c.patience}};
  // Written only when used, so that checkpoints from before label smoothing still resume.
  if (c.label_smoothing > 0.0f) j["label_smoothing"] = c.label_smoothing;
  return j.dump();
}

// FNV-1a over the labels: the same data in the same order (the split depends on the seed).
std::string labels_checksum(const Dataset& d) {
  uint64_t h = 1469598103934665603ull;
  for (int i = 0; i < d.count; ++i) h = (h ^ d.labels[i]) * 1099511628211ull;
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h));
  return buf;
}

json report_json(const StepReport& r) {
  return {{"epoch", r.epoch},
          {"step_in_epoch", int64_t(r.step_in_epoch)},
          {"global_step", r.global_step},
          {"samples_seen", r.samples_seen},
          {"loss", r.loss},
          {"epoch_loss", r.epoch_loss},
          {"epoch_accuracy", r.epoch_accuracy},
          {"lr", r.lr},
          {"epoch_end", r.epoch_end}};
}

// Reads typed values out of the state, remembering the first problem.
struct Reader {
  const json& j;
  std::string problem;

  template <class T>
  T get(const char* key) {
    const auto it = j.find(key);
    bool ok = it != j.end();
    if constexpr (std::is_same_v<T, bool>) ok = ok && it->is_boolean();
    else if constexpr (std::is_same_v<T, std::string>) ok = ok && it->is_string();
    else if constexpr (std::is_integral_v<T>) ok = ok && it->is_number_integer();
    else ok = ok && it->is_number() && std::isfinite(it->get<double>());
    if (!ok) {
      if (problem.empty()) problem = std::string("its training state has no valid \"") + key + "\"";
      return T{};
    }
    return it->get<T>();
  }
  void require(bool condition, const std::string& what) {
    if (!condition && problem.empty()) problem = "its training state is inconsistent (" + what + ")";
  }
};

bool all_finite(const std::vector<float>& v) {
  for (float x : v)
    if (!std::isfinite(x)) return false;
  return true;
}

}  // namespace

std::vector<uint8_t> TrainingRun::checkpoint(const std::map<std::string, std::string>& metadata) const {
  const Trainer& t = trainer_;
  const Model& model = t.model_;
  json state = {{"epoch", t.epoch_},
                {"position", int64_t(t.pos_)},
                {"global_step", t.global_step_},
                {"samples_seen", t.samples_seen_},
                {"first_loss", t.first_loss_},
                {"epoch_loss_sum", t.epoch_loss_sum_},
                {"epoch_correct", int64_t(t.epoch_correct_)},
                {"epoch_samples", int64_t(t.epoch_samples_)},
                {"lr", t.cfg_.lr},
                {"optimizer_steps", t.optimizer_.steps()},
                {"best_val_loss", t.best_val_loss_},
                {"epochs_without_improvement", t.epochs_without_improvement_},
                {"best_epoch", t.best_epoch_},
                {"restored_epoch", t.restored_epoch_},
                {"stopped_early", t.stopped_early_},
                {"divergence", t.divergence_},
                {"last", report_json(last_)},
                {"train_seconds", train_seconds_},
                {"threads", t.threads()},
                {"train_count", t.train_.count},
                {"train_labels", labels_checksum(t.train_)},
                {"validation_count", data_.validation.count}};
  std::map<std::string, std::string> meta = metadata;
  meta["checkpoint"] = kVersion;
  meta["train_config"] = train_config_json(t.cfg_, t.start_lr_);
  meta["training_state"] = state.dump();

  std::vector<ExtraTensor> extra;
  const Optimizer& opt = t.optimizer_;
  for (const TensorInfo& info : model.tensors()) {
    if (!info.trainable) continue;
    if (opt.uses_first_moment())
      extra.push_back({"optimizer.m." + info.name, info.shape, opt.first_moment() + info.offset, info.size});
    if (opt.uses_second_moment())
      extra.push_back({"optimizer.v." + info.name, info.shape, opt.second_moment() + info.offset, info.size});
  }
  if (t.best_params_.size() > 0)
    for (const TensorInfo& info : model.tensors())
      extra.push_back({"best." + info.name, info.shape, t.best_params_.data() + info.offset, info.size});
  return save_safetensors(model, meta, extra);
}

// Everything is read and checked first; the run changes only once all of it is good.
Status TrainingRun::restore(const uint8_t* bytes, size_t size) {
  Trainer& t = trainer_;
  Model& model = t.model_;
  Result<Model> saved = load_safetensors(bytes, size, kWhat);
  if (!saved) return fail(saved.error());
  auto meta = safetensors_metadata(bytes, size, kWhat);
  if (!meta) return fail(meta.error());
  auto tensors = load_training_state_tensors(bytes, size, kWhat);
  if (!tensors) return fail(tensors.error());
  const auto version = meta->find("checkpoint");
  if (version == meta->end() || meta->count("training_state") == 0 || meta->count("train_config") == 0)
    return fail(kWhat + " is a model file without a run's training state; continue from it as weights instead");
  if (version->second != kVersion)
    return fail(kWhat + " has format version " + version->second + ", which this version of digitrain cannot read");
  if (to_json(saved->spec()) != to_json(model.spec()))
    return fail(kWhat + " is of a model with another architecture than this run's");
  if ((*meta)["train_config"] != train_config_json(t.cfg_, t.start_lr_))
    return fail(kWhat + " was made by a run with other settings: " + (*meta)["train_config"] + " instead of " +
                train_config_json(t.cfg_, t.start_lr_));

  const json j = json::parse((*meta)["training_state"], nullptr, /*allow_exceptions=*/false);
  if (!j.is_object()) return fail(kWhat + ": its training state is not a JSON object; the file is damaged");
  Reader r{j, {}};
  const int epoch = r.get<int>("epoch");
  const int64_t pos = r.get<int64_t>("position");
  const int64_t global_step = r.get<int64_t>("global_step");
  const int64_t samples_seen = r.get<int64_t>("samples_seen");
  const double first_loss = r.get<double>("first_loss");
  const double epoch_loss_sum = r.get<double>("epoch_loss_sum");
  const int64_t epoch_correct = r.get<int64_t>("epoch_correct");
  const int64_t epoch_samples = r.get<int64_t>("epoch_samples");
  const float lr = r.get<float>("lr");
  const int64_t optimizer_steps = r.get<int64_t>("optimizer_steps");
  const double best_val_loss = r.get<double>("best_val_loss");
  const int epochs_without_improvement = r.get<int>("epochs_without_improvement");
  const int best_epoch = r.get<int>("best_epoch");
  const int restored_epoch = r.get<int>("restored_epoch");
  const bool stopped_early = r.get<bool>("stopped_early");
  const std::string divergence = r.get<std::string>("divergence");
  const double train_seconds = r.get<double>("train_seconds");
  const int64_t train_count = r.get<int64_t>("train_count");
  const std::string train_labels = r.get<std::string>("train_labels");
  const int64_t validation_count = r.get<int64_t>("validation_count");
  StepReport last;
  if (j.contains("last") && j["last"].is_object()) {
    Reader l{j["last"], {}};
    last.epoch = l.get<int>("epoch");
    last.step_in_epoch = static_cast<long>(l.get<int64_t>("step_in_epoch"));
    last.global_step = l.get<int64_t>("global_step");
    last.samples_seen = l.get<int64_t>("samples_seen");
    last.loss = l.get<float>("loss");
    last.epoch_loss = l.get<float>("epoch_loss");
    last.epoch_accuracy = l.get<float>("epoch_accuracy");
    last.lr = l.get<float>("lr");
    last.epoch_end = l.get<bool>("epoch_end");
    if (r.problem.empty() && !l.problem.empty()) r.problem = l.problem + " in the latest step";
  } else {
    r.require(false, "no latest step");
  }
  if (!r.problem.empty()) return fail(kWhat + ": " + r.problem + "; the file is damaged");

  if (train_count != t.train_.count || train_labels != labels_checksum(t.train_) ||
      validation_count != data_.validation.count)
    return fail(kWhat + " was made with other training data (" + std::to_string(train_count) + " training and " +
                std::to_string(validation_count) + " validation samples) than this run's (" +
                std::to_string(t.train_.count) + " and " + std::to_string(data_.validation.count) + ")");
  const int64_t per_epoch = t.steps_per_epoch_, batch = t.cfg_.batch;
  r.require(epoch >= 0 && epoch < t.cfg_.epochs, "epoch " + std::to_string(epoch));
  r.require(pos >= 0 && pos <= t.train_.count && (pos % batch == 0 || pos == t.train_.count),
            "position " + std::to_string(pos));
  r.require(global_step == epoch * per_epoch + (pos + batch - 1) / batch, "global step");
  r.require(samples_seen == epoch * int64_t(t.train_.count) + pos, "samples seen");
  r.require(epoch_samples == pos && epoch_correct >= 0 && epoch_correct <= epoch_samples, "epoch sums");
  r.require(optimizer_steps == global_step, "optimiser steps");
  r.require(last.global_step == global_step, "latest step");
  r.require(lr > 0 && train_seconds >= 0 && epochs_without_improvement >= 0 && best_epoch >= 0 && restored_epoch >= 0,
            "rates and counts");
  if (!r.problem.empty()) return fail(kWhat + ": " + r.problem + "; the file is damaged");

  // The tensors: exactly the ones this run's optimiser keeps, and early stopping's all or none.
  const Optimizer& opt = t.optimizer_;
  size_t expected = 0;
  bool has_best = false;
  for (const TensorInfo& info : model.tensors()) {
    std::vector<std::string> names;
    if (info.trainable && opt.uses_first_moment()) names.push_back("optimizer.m." + info.name);
    if (info.trainable && opt.uses_second_moment()) names.push_back("optimizer.v." + info.name);
    const std::string best = "best." + info.name;
    if (tensors->count(best)) {
      names.push_back(best);
      has_best = true;
    }
    for (const std::string& name : names) {
      const auto it = tensors->find(name);
      if (it == tensors->end()) return fail(kWhat + ": tensor " + name + " is missing; the file is damaged");
      if (static_cast<long>(it->second.size()) != info.size)
        return fail(kWhat + ": tensor " + name + " has " + std::to_string(it->second.size()) + " values, not " +
                    std::to_string(info.size) + "; the file is damaged");
      if (!all_finite(it->second))
        return fail(kWhat + ": tensor " + name + " holds NaN or infinite values; the run it saved had diverged");
      ++expected;
    }
  }
  size_t best_count = 0;
  for (const auto& [name, v] : *tensors) best_count += name.rfind("best.", 0) == 0;
  if (has_best && best_count != model.tensors().size())
    return fail(kWhat + ": early stopping's best weights are incomplete; the file is damaged");
  if (expected != tensors->size())
    return fail(kWhat + " holds training-state tensors that this run (optimiser " + optimizer_name(opt.config().kind) +
                ") does not keep; the file is damaged");

  // All good: take it.
  std::memcpy(model.params(), saved->params(), sizeof(float) * model.num_params());
  Optimizer& o = t.optimizer_;
  for (const TensorInfo& info : model.tensors()) {
    if (!info.trainable) continue;
    if (o.uses_first_moment())
      std::memcpy(o.first_moment() + info.offset, (*tensors)["optimizer.m." + info.name].data(), sizeof(float) * info.size);
    if (o.uses_second_moment())
      std::memcpy(o.second_moment() + info.offset, (*tensors)["optimizer.v." + info.name].data(), sizeof(float) * info.size);
  }
  o.set_steps(optimizer_steps);
  if (has_best) {
    t.best_params_.resize(model.num_params());
    for (const TensorInfo& info : model.tensors())
      std::memcpy(t.best_params_.data() + info.offset, (*tensors)["best." + info.name].data(), sizeof(float) * info.size);
  } else {
    t.best_params_.resize(0);
  }
  t.epoch_ = epoch;
  t.start_epoch();  // this epoch's shuffle order, from the seed
  t.pos_ = static_cast<long>(pos);
  t.global_step_ = global_step;
  t.samples_seen_ = samples_seen;
  t.first_loss_ = first_loss;
  t.epoch_loss_sum_ = epoch_loss_sum;
  t.epoch_correct_ = static_cast<long>(epoch_correct);
  t.epoch_samples_ = static_cast<long>(epoch_samples);
  t.cfg_.lr = lr;
  t.best_val_loss_ = best_val_loss;
  t.epochs_without_improvement_ = epochs_without_improvement;
  t.best_epoch_ = best_epoch;
  t.restored_epoch_ = restored_epoch;
  t.stopped_early_ = stopped_early;
  t.divergence_ = divergence;
  last.steps_per_epoch = t.steps_per_epoch_;
  last.total_steps = t.total_steps();
  t.last_report_ = last;
  last_ = last;
  train_seconds_ = train_seconds;
  return Status::success();
}

}  // namespace dt
