// Learning-rate schedules, as a pure function of progress so that a resumed run gets the same
// rate at the same step.
//   constant   lr
//   step       lr * gamma^(floor(epoch / step_epochs))
//   cosine     lr * (1 + cos(pi * s / S)) / 2                 (S = total steps)
//   one_cycle  linear warm-up from lr/div to lr over the first `warmup` fraction of steps,
//              then cosine annealing down to lr/final_div (Smith & Topin)
#pragma once
#include <string>

#include "util/result.h"

namespace dt {

enum class ScheduleKind { constant, step, cosine, one_cycle };

struct Schedule {
  ScheduleKind kind = ScheduleKind::constant;
  float step_gamma = 0.5f;
  int step_epochs = 1;
  float warmup = 0.25f;
  float div = 25.0f;
  float final_div = 1e4f;
};

const char* schedule_name(ScheduleKind kind);
Result<ScheduleKind> parse_schedule(const std::string& name);

// Rate at `step` (0-based) of `total_steps`, with `steps_per_epoch` steps per epoch.
float learning_rate(const Schedule& s, float base_lr, long step, long total_steps, long steps_per_epoch);

}  // namespace dt
