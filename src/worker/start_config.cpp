#include "worker/start_config.h"

#include <cfloat>
#include <cmath>
#include <cstdio>
#include <initializer_list>

#include <nlohmann/json.hpp>

#include "data/augment.h"
#include "data/dataset_info.h"
#include "nn/model.h"
#include "nn/spec.h"
#include "train/memory_budget.h"
#include "util/digit_shape.h"

namespace dt {

namespace {

using nlohmann::json;

// "a, b, c": for messages that list what is accepted.
std::string joined(std::initializer_list<const char*> names) {
  std::string out;
  for (const char* n : names) out += (out.empty() ? "" : ", ") + std::string(n);
  return out;
}

// A misspelt key would otherwise be ignored silently and the run would use the preset's value.
Status check_keys(const json& j, std::initializer_list<const char*> accepted, const std::string& where) {
  for (const auto& item : j.items()) {
    bool known = false;
    for (const char* name : accepted) known = known || item.key() == name;
    if (!known) return fail("unknown key '" + item.key() + "' in " + where + " (accepted: " + joined(accepted) + ")");
  }
  return Status::success();
}

bool present(const json& j, const char* key) { return j.contains(key) && !j[key].is_null(); }

// An optional whole number in [lo, hi]. Checked as a double before converting: converting a
// number outside the target type's range (1e10 to an int) is undefined behaviour.
template <class T>
Status read_integer(const json& j, const char* key, double lo, double hi, T* out) {
  if (!present(j, key)) return Status::success();
  const json& v = j[key];
  const double x = v.is_number() ? v.get<double>() : NAN;
  if (!(x >= lo && x <= hi && std::floor(x) == x)) {
    char range[96];
    std::snprintf(range, sizeof range, "an integer from %.17g to %.17g", lo, hi);
    return fail(std::string("'") + key + "' must be " + range + ", got " + v.dump());
  }
  *out = static_cast<T>(x);
  return Status::success();
}

// An optional number that a float can hold; the ranges that make sense are validate()'s.
Status read_float(const json& j, const char* key, float* out) {
  if (!present(j, key)) return Status::success();
  const json& v = j[key];
  const double x = v.is_number() ? v.get<double>() : NAN;
  if (!(std::fabs(x) <= FLT_MAX)) return fail(std::string("'") + key + "' must be a number, got " + v.dump());
  *out = static_cast<float>(x);
  return Status::success();
}

Status read_augment(const json& j, Augment* aug) {
  if (!present(j, "augment")) return Status::success();
  const json& a = j["augment"];
  if (a.is_boolean()) {
    // On: the preset's own augmentation (best's adds elastic distortion), else the standard one.
    if (!a.get<bool>()) *aug = Augment{};
    else if (!aug->enabled()) *aug = standard_augment();
    return Status::success();
  }
  if (!a.is_object()) return fail("'augment' must be true, false or {rotate, scale, shift, elastic, elastic_sigma}");
  if (Status s = check_keys(a, {"rotate", "scale", "shift", "elastic", "elastic_sigma"}, "'augment'"); !s) return s;
  for (Status s : {read_float(a, "rotate", &aug->rotate_degrees), read_float(a, "scale", &aug->scale),
                   read_float(a, "shift", &aug->shift), read_float(a, "elastic", &aug->elastic_alpha),
                   read_float(a, "elastic_sigma", &aug->elastic_sigma)})
    if (!s) return fail("augment: " + s.error);
  return Status::success();
}

// JavaScript's numbers hold every integer up to 2^53 - 1 exactly; larger seeds would not
// survive the trip through the page.
constexpr double kMaxSeed = 9007199254740991.0;

// The layers to train instead of the preset's: the architecture JSON a saved model carries
// (nn/spec.h), as an object. It must build for digit images and give one value per class.
Result<ModelSpec> read_architecture(const json& a) {
  if (!a.is_object()) return Error{"'architecture' must be an object: the architecture JSON a saved model carries"};
  Result<ModelSpec> spec = model_spec_from_json(a.dump());
  if (!spec) return Error{"architecture: " + spec.error()};
  if (spec->height != kDigitSide || spec->width != kDigitSide || spec->channels != 1)
    return Error{"architecture: its input is " + std::to_string(spec->height) + "x" + std::to_string(spec->width) + "x" +
                 std::to_string(spec->channels) + ", but the page's images are " + std::to_string(kDigitSide) + "x" +
                 std::to_string(kDigitSide) + "x1"};
  // Parameters, their gradients and Adam's two moments: 16 bytes each.
  Result<uint64_t> params = count_parameters(*spec, static_cast<uint64_t>(training_memory_budget() / 16));
  if (!params) return Error{"architecture: " + params.error()};
  Result<Model> model = Model::build(*spec);
  if (!model) return Error{"architecture: " + model.error()};
  if (model->classes() != kClasses)
    return Error{"architecture: the last layer gives " + std::to_string(model->classes()) + " values per image, not one per class (" +
                 std::to_string(kClasses) + ")"};
  return spec;
}

}  // namespace

Result<StartConfig> parse_start_config(const std::string& text, int max_threads) {
  json j = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !(j.is_object() || j.is_null())) return Error{"the start config must be a JSON object"};
  if (j.is_null()) j = json::object();
  // `resume` is the page's: it picks the saved weights before the config reaches the engine.
  if (Status s = check_keys(j, {"preset", "dataset", "epochs", "batch", "lr", "optimizer", "momentum", "schedule", "loss",
                                "focal_gamma", "label_smoothing", "l1", "l2", "val", "patience", "threads", "seed",
                                "augment", "architecture", "resume"},
                            "the start config");
      !s)
    return Error{s.error};

  StartConfig c;
  std::string preset_name = "keras-cnn";
  if (j.contains("preset")) {
    if (!j["preset"].is_string()) return Error{"'preset' must be a preset name"};
    preset_name = j["preset"].get<std::string>();
  }
  Result<Preset> preset = find_preset(preset_name);
  if (!preset) return Error{preset.error()};
  c.preset = *preset;
  TrainConfig& t = c.preset.train;
  if (present(j, "architecture")) {
    Result<ModelSpec> spec = read_architecture(j["architecture"]);
    if (!spec) return Error{spec.error()};
    c.preset.model = std::move(*spec);
  }

  if (j.contains("dataset")) {
    if (!j["dataset"].is_string()) return Error{"'dataset' must be a name (" + dataset_choices() + ")"};
    c.dataset = j["dataset"].get<std::string>();
    if (!is_known_dataset(c.dataset)) return Error{"unknown dataset '" + c.dataset + "' (use " + dataset_choices() + ")"};
  }
  if (present(j, "optimizer")) {
    if (!j["optimizer"].is_string()) return Error{"'optimizer' must be a name"};
    Result<OptimizerKind> kind = parse_optimizer(j["optimizer"].get<std::string>());
    if (!kind) return Error{kind.error()};
    t.optimizer.kind = *kind;
  }
  if (present(j, "schedule")) {
    if (!j["schedule"].is_string()) return Error{"'schedule' must be a name (constant, step, cosine, one-cycle)"};
    Result<ScheduleKind> kind = parse_schedule(j["schedule"].get<std::string>());
    if (!kind) return Error{kind.error()};
    t.schedule.kind = *kind;
  }
  if (present(j, "loss")) {
    if (!j["loss"].is_string()) return Error{"'loss' must be a name (cross-entropy, focal, mse)"};
    Result<LossKind> kind = parse_loss(j["loss"].get<std::string>());
    if (!kind) return Error{kind.error()};
    t.loss = *kind;
  }
  for (Status s : {read_integer(j, "epochs", 1, 100000, &t.epochs), read_integer(j, "batch", 1, 65536, &t.batch),
                   read_float(j, "lr", &t.lr), read_float(j, "momentum", &t.optimizer.momentum),
                   read_float(j, "focal_gamma", &t.focal_gamma), read_float(j, "label_smoothing", &t.label_smoothing),
                   read_float(j, "l1", &t.optimizer.l1), read_float(j, "l2", &t.optimizer.l2),
                   read_float(j, "val", &c.preset.val_fraction), read_integer(j, "patience", 0, 1000, &t.patience),
                   read_integer(j, "threads", 0, 256, &t.threads), read_integer(j, "seed", 0, kMaxSeed, &t.seed),
                   read_augment(j, &t.augment)})
    if (!s) return Error{s.error};
  if (Status s = validate(t); !s) return Error{s.error};
  if (!(c.preset.val_fraction >= 0.0f && c.preset.val_fraction <= 0.5f))
    return Error{"'val' (the share of training images held out for validation) must be from 0 to 0.5, got " +
                 std::to_string(c.preset.val_fraction)};
  // Early stopping watches the validation loss: without a validation share it could never act.
  if (t.patience > 0 && c.preset.val_fraction <= 0.0f)
    return Error{"'patience' " + std::to_string(t.patience) +
                 " needs a validation share to watch: set 'val' above 0 (e.g. 0.1), or patience to 0"};
  // More threads than the page's worker pool would block the worker waiting for a thread that
  // can only start once it yields; 0 means all of them.
  if (t.threads == 0 || t.threads > max_threads) t.threads = max_threads;
  return c;
}

}  // namespace dt
