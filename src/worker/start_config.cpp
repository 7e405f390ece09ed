#include "worker/start_config.h"

#include <nlohmann/json.hpp>

namespace dt {

namespace {

using nlohmann::json;

// Reads an optional number field, rejecting anything that is not a number.
template <class T>
Status read_number(const json& j, const char* key, T* out) {
  if (!j.contains(key) || j[key].is_null()) return Status::success();
  if (!j[key].is_number()) return fail(std::string("'") + key + "' must be a number");
  *out = j[key].get<T>();
  return Status::success();
}

Status read_augment(const json& j, Augment* aug) {
  if (!j.contains("augment") || j["augment"].is_null()) return Status::success();
  const json& a = j["augment"];
  if (a.is_boolean()) {
    *aug = a.get<bool>() ? Augment{10.0f, 0.1f, 2.0f} : Augment{};
    return Status::success();
  }
  if (!a.is_object()) return fail("'augment' must be true, false or {rotate, scale, shift}");
  for (const char* key : {"rotate", "scale", "shift"}) {
    float* field = key[0] == 'r' ? &aug->rotate_degrees : key[1] == 'c' ? &aug->scale : &aug->shift;
    if (Status s = read_number(a, key, field); !s) return fail("augment: " + s.error);
  }
  return Status::success();
}

}  // namespace

Result<StartConfig> parse_start_config(const std::string& text, int max_threads) {
  json j = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !(j.is_object() || j.is_null())) return Error{"the start config must be a JSON object"};
  if (j.is_null()) j = json::object();

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

  if (j.contains("dataset")) {
    if (!j["dataset"].is_string()) return Error{"'dataset' must be \"mnist\" or \"fashion\""};
    c.dataset = j["dataset"].get<std::string>();
    if (c.dataset != "mnist" && c.dataset != "fashion")
      return Error{"unknown dataset '" + c.dataset + "' (use mnist or fashion)"};
  }
  if (j.contains("optimizer") && !j["optimizer"].is_null()) {
    if (!j["optimizer"].is_string()) return Error{"'optimizer' must be a name"};
    Result<OptimizerKind> kind = parse_optimizer(j["optimizer"].get<std::string>());
    if (!kind) return Error{kind.error()};
    t.optimizer.kind = *kind;
  }
  long seed = static_cast<long>(t.seed);
  for (Status s : {read_number(j, "epochs", &t.epochs), read_number(j, "batch", &t.batch),
                   read_number(j, "lr", &t.lr), read_number(j, "threads", &t.threads),
                   read_number(j, "seed", &seed), read_augment(j, &t.augment)})
    if (!s) return Error{s.error};
  t.seed = static_cast<uint64_t>(seed);
  if (Status s = validate(t); !s) return Error{s.error};
  // More threads than the page's worker pool would block the worker waiting for a thread that
  // can only start once it yields; 0 means all of them.
  if (t.threads == 0 || t.threads > max_threads) t.threads = max_threads;
  return c;
}

}  // namespace dt
