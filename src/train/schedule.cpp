#include "train/schedule.h"

#include <algorithm>
#include <cmath>

namespace dt {

namespace {
constexpr float kPi = 3.14159265358979f;
}  // namespace

float learning_rate(const Schedule& s, float lr, long step, long total, long per_epoch) {
  total = std::max(total, 1L);
  const float progress = std::clamp(float(step) / float(total), 0.0f, 1.0f);
  switch (s.kind) {
    case ScheduleKind::constant: return lr;
    case ScheduleKind::step: {
      const long epoch = per_epoch > 0 ? step / per_epoch : 0;
      return lr * std::pow(s.step_gamma, float(epoch / std::max(1, s.step_epochs)));
    }
    case ScheduleKind::cosine: return lr * 0.5f * (1.0f + std::cos(kPi * progress));
    case ScheduleKind::one_cycle: {
      const float start = lr / s.div, end = lr / s.final_div;
      if (progress < s.warmup) return start + (lr - start) * (progress / s.warmup);
      const float p = (progress - s.warmup) / std::max(1e-6f, 1.0f - s.warmup);
      return end + (lr - end) * 0.5f * (1.0f + std::cos(kPi * p));
    }
  }
  return lr;
}

}  // namespace dt
