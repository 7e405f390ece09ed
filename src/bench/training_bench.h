// Training speed on this machine: a preset's samples/s through the real Trainer with the
// preset's own recipe (augmentation included) on random images (speed does not depend on the
// pixels), after a few warm-up steps.
#pragma once
#include <string>

namespace dt::bench {

// Steps for at least `seconds` (and at least 8 steps) after the warm-up; samples per second.
// `preset` must be one of recipe/presets.h.
double train_samples_per_second(const std::string& preset, int batch, int threads, double seconds);

}  // namespace dt::bench
