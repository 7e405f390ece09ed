// The Train panel's settings: what a run started from the panel (or the page's DOM controls)
// trains, as plain data. Choosing a preset loads its values; every field travels in the start
// config (app/commands.cpp) under the CLI's names.
#pragma once
#include <string>

#include "data/augment.h"
#include "recipe/train_config.h"

namespace dt {

struct TrainSettings {
  int dataset = 0;    // index into AppState::datasets
  int preset = 0;     // index into presets()
  OptimizerKind optimizer = OptimizerKind::adam;
  float lr = 1e-3f;
  int batch = 32;
  int epochs = 1;
  bool augment = false;
  Augment amounts;    // the augmentation when `augment` is on (the preset's, or the standard one)
  int threads = 0;    // 0: all the worker can run
  // The rest of the CLI's training settings, under "More settings" (the preset's until edited).
  float momentum = 0.9f;  // momentum and nesterov only
  ScheduleKind schedule = ScheduleKind::constant;
  LossKind loss = LossKind::cross_entropy;
  float focal_gamma = 2.0f;       // the focal loss only
  float label_smoothing = 0.0f;   // cross-entropy only
  float l1 = 0.0f, l2 = 0.0f;
  float val = 0.1f;   // the share of training images held out for validation
  int patience = 0;   // early stopping (needs val > 0); 0: off
  // The architecture JSON of the layers to train instead of the preset's (the network
  // editor's), or "" for the preset's own. Choosing a preset clears it.
  std::string architecture;
};

// Choosing a preset loads its training settings (lr, batch, optimiser, epochs, augmentation,
// schedule, loss, regularisation, validation): the start message always carries them, so
// without this `best` would train for the panel's last epochs without its augmentation.
void apply_preset_defaults(TrainSettings& settings);

}  // namespace dt
