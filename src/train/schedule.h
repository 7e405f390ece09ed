// Learning-rate schedules, as a pure function of progress so that a resumed run gets the same
// rate at the same step.
// The kinds are described in recipe/train_config.h.
#pragma once
#include <string>

#include "recipe/train_config.h"

namespace dt {

// Rate at `step` (0-based) of `total_steps`, with `steps_per_epoch` steps per epoch.
float learning_rate(const Schedule& s, float base_lr, long step, long total_steps, long steps_per_epoch);

}  // namespace dt
