// `digitrain presets`: the named models and their training settings.
#include <cstdio>
#include <string>

#include "cli/args.h"
#include "cli/commands.h"
#include "cli/output.h"
#include "nn/spec.h"
#include "recipe/presets.h"
#include "train/augment_json.h"

namespace dt::cli {

namespace {

// The settings beyond the optimiser and schedule that a preset changes from the defaults.
std::string extras(const TrainConfig& t) {
  std::string out;
  char buf[160];
  if (t.augment.enabled()) {
    std::snprintf(buf, sizeof buf, ", augmentation (rotate %g, zoom %g%%, shift %g px", t.augment.rotate_degrees,
                  100.0 * t.augment.scale, t.augment.shift);
    out += buf;
    if (t.augment.elastic_alpha > 0) {
      std::snprintf(buf, sizeof buf, ", elastic alpha %g sigma %g", t.augment.elastic_alpha, t.augment.elastic_sigma);
      out += buf;
    }
    out += ")";
  }
  if (t.label_smoothing > 0) {
    std::snprintf(buf, sizeof buf, ", label smoothing %g", t.label_smoothing);
    out += buf;
  }
  return out;
}

}  // namespace

int cmd_presets(const std::vector<std::string>& argv) {
  auto a = Args::parse(argv, {{}, {"json"}}, "presets");
  if (!a) return usage_error(a.error());
  nlohmann::json all = nlohmann::json::array();
  for (const Preset& p : presets()) {
    auto model = Model::build(p.model);
    const long params = model ? model->num_trainable() : 0;
    if (a->has("json")) {
      all.push_back({{"name", p.name}, {"origin", p.origin}, {"layers", describe(p.model)}, {"parameters", params},
                     {"optimizer", optimizer_name(p.train.optimizer.kind)}, {"lr", p.train.lr},
                     {"batch", p.train.batch}, {"epochs", p.train.epochs},
                     {"schedule", schedule_name(p.train.schedule.kind)}, {"validation", p.val_fraction},
                     {"label_smoothing", p.train.label_smoothing},
                     {"augment", augment_json(p.train.augment)},
                     {"architecture", nlohmann::json::parse(to_json(p.model))}});
      continue;
    }
    std::printf("%-18s %s, %ld parameters\n", p.name.c_str(), p.origin.c_str(), params);
    std::printf("  layers:   %s\n", describe(p.model).c_str());
    std::printf("  training: %s lr %g, batch %d, %d epochs, %s schedule, %.0f%% validation%s\n\n",
                optimizer_name(p.train.optimizer.kind), p.train.lr, p.train.batch, p.train.epochs,
                schedule_name(p.train.schedule.kind), 100.0 * p.val_fraction, extras(p.train).c_str());
  }
  if (a->has("json")) print_json(all);
  return 0;
}

}  // namespace dt::cli
