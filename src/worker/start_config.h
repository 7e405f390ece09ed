// What the page asks for when it starts a run: `window.digitrain.start(config)` and the Train
// panel both send the same JSON object, all fields optional:
//   {preset, dataset, epochs, batch, lr, optimizer, momentum, schedule, loss, focal_gamma,
//    label_smoothing, l1, l2, val, patience, threads, seed, augment, architecture, resume}
// as the CLI's flags of the same names (schedule: constant|step|cosine|one-cycle; loss:
// cross-entropy|focal|mse; val: the share of training images held out for validation, 0 to
// 0.5; patience: early stopping after that many epochs without a better validation loss, which
// needs val > 0); architecture is the architecture JSON a saved model carries, as an object;
// where augment is true/false (true: the preset's augmentation, or where it has none
// standard_augment(): rotate 10, scale 0.1, shift 2) or an object
// {rotate, scale, shift, elastic, elastic_sigma} (elastic: the distortion's alpha), and resume
// is the page's own (it is accepted and ignored here).
// Anything unset or null comes from the preset; any other key is an error, as an unknown flag
// is for the CLI.
#pragma once
#include <string>

#include "recipe/presets.h"
#include "util/result.h"

namespace dt {

struct StartConfig {
  std::string dataset = "mnist";
  Preset preset;  // the named preset with the overrides applied to preset.train
};

// Parses and validates; the message names the offending field and the allowed values (for
// numbers, their range: epochs 1 to 100000, batch 1 to 65536, threads 0 to 256, seed 0 to
// 2^53 - 1, each a whole number).
Result<StartConfig> parse_start_config(const std::string& json, int max_threads);

}  // namespace dt
