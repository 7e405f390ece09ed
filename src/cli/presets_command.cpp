// `digitrain presets`: the named models and their training settings.
#include <cstdio>

#include "cli/args.h"
#include "cli/commands.h"
#include "cli/output.h"
#include "nn/spec.h"
#include "recipe/presets.h"

namespace dt::cli {

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
                     {"architecture", nlohmann::json::parse(to_json(p.model))}});
      continue;
    }
    std::printf("%-18s %s, %ld parameters\n", p.name.c_str(), p.origin.c_str(), params);
    std::printf("  layers:   %s\n", describe(p.model).c_str());
    std::printf("  training: %s lr %g, batch %d, %d epochs, %s schedule, %.0f%% validation\n\n",
                optimizer_name(p.train.optimizer.kind), p.train.lr, p.train.batch, p.train.epochs,
                schedule_name(p.train.schedule.kind), 100.0 * p.val_fraction);
  }
  if (a->has("json")) print_json(all);
  return 0;
}

}  // namespace dt::cli
