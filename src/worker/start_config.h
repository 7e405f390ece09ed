// What the page asks for when it starts a run: `window.digitrain.start(config)` and the Train
// panel both send the same JSON object, all fields optional:
//   {preset, dataset, epochs, batch, lr, optimizer, threads, seed, augment}
// where augment is true/false (the seed articles' rotate 10, scale 0.1, shift 2) or an object
// {rotate, scale, shift}. Anything unset comes from the preset.
#pragma once
#include <string>

#include "recipe/presets.h"
#include "util/result.h"

namespace dt {

struct StartConfig {
  std::string dataset = "mnist";
  Preset preset;  // the named preset with the overrides applied to preset.train
};

// Parses and validates; the message names the offending field and the allowed values.
Result<StartConfig> parse_start_config(const std::string& json, int max_threads);

}  // namespace dt
