// The named models of the seed articles, each with the training settings the article used.
// `digitrain presets` lists them; `train --preset NAME` starts from these defaults and any
// flag overrides one setting.
#pragma once
#include <string>
#include <vector>

#include "nn/spec.h"
#include "recipe/train_config.h"

namespace dt {

struct Preset {
  std::string name;
  std::string origin;      // where the model comes from, in a few words
  ModelSpec model;
  TrainConfig train;       // epochs, batch, optimiser, lr, schedule
  float val_fraction = 0.1f;
  double reported_accuracy = 0;  // what the source reports on the test set
};

const std::vector<Preset>& presets();
Result<Preset> find_preset(const std::string& name);  // the error lists the known names
int preset_index(const std::string& name);            // its place in presets(), -1 if unknown

}  // namespace dt
