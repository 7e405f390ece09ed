#include "recipe/train_config.h"

#include <cmath>

#include "util/enum_names.h"

namespace dt {

namespace {
constexpr EnumName<OptimizerKind> kOptimizers[] = {{OptimizerKind::sgd, "sgd"},
                                                   {OptimizerKind::momentum, "momentum"},
                                                   {OptimizerKind::nesterov, "nesterov"},
                                                   {OptimizerKind::rmsprop, "rmsprop"},
                                                   {OptimizerKind::adam, "adam"}};
constexpr EnumName<ScheduleKind> kSchedules[] = {{ScheduleKind::constant, "constant"},
                                                 {ScheduleKind::step, "step"},
                                                 {ScheduleKind::cosine, "cosine"},
                                                 {ScheduleKind::one_cycle, "one-cycle"}};
constexpr EnumName<LossKind> kLosses[] = {
    {LossKind::cross_entropy, "cross-entropy"}, {LossKind::focal, "focal"}, {LossKind::mse, "mse"}};
}  // namespace

const char* optimizer_name(OptimizerKind kind) { return enum_name(kOptimizers, kind); }
Result<OptimizerKind> parse_optimizer(const std::string& name) { return parse_enum(kOptimizers, name, "optimizer"); }
const char* schedule_name(ScheduleKind kind) { return enum_name(kSchedules, kind); }
Result<ScheduleKind> parse_schedule(const std::string& name) { return parse_enum(kSchedules, name, "schedule"); }
const char* loss_name(LossKind loss) { return enum_name(kLosses, loss); }
Result<LossKind> parse_loss(const std::string& name) { return parse_enum(kLosses, name, "loss"); }

Status validate(const TrainConfig& c) {
  if (c.epochs < 1) return fail("epochs must be a positive integer, got " + std::to_string(c.epochs));
  if (c.batch < 1) return fail("batch must be a positive integer, got " + std::to_string(c.batch));
  if (c.batch > 65536) return fail("batch " + std::to_string(c.batch) + " is too large (at most 65536)");
  if (!(c.lr > 0.0f) || !std::isfinite(c.lr)) return fail("learning rate must be a positive number, got " + std::to_string(c.lr));
  if (c.threads < 0 || c.threads > 256) return fail("threads must be between 0 (all) and 256");
  if (!(c.optimizer.l1 >= 0 && c.optimizer.l2 >= 0)) return fail("l1 and l2 must not be negative");
  // At 1 or above the velocity never decays and the steps grow without bound.
  if (!(c.optimizer.momentum >= 0.0f && c.optimizer.momentum < 1.0f))
    return fail("momentum must be in [0, 1), got " + std::to_string(c.optimizer.momentum));
  if (!(c.focal_gamma >= 0.0f && c.focal_gamma <= 10.0f))
    return fail("the focal loss's gamma must be from 0 to 10, got " + std::to_string(c.focal_gamma));
  if (c.patience < 0) return fail("patience must not be negative");
  if (!(c.label_smoothing >= 0.0f && c.label_smoothing < 1.0f))
    return fail("label smoothing must be in [0, 1), got " + std::to_string(c.label_smoothing));
  if (c.label_smoothing > 0.0f && c.loss != LossKind::cross_entropy)
    return fail("label smoothing (" + std::to_string(c.label_smoothing).substr(0, 4) +
                ") applies to the cross-entropy loss only; set it to 0 for the " + loss_name(c.loss) + " loss");
  if (c.augment.rotate_degrees < 0 || c.augment.scale < 0 || c.augment.scale >= 1 || c.augment.shift < 0)
    return fail("augmentation needs rotate >= 0, 0 <= scale < 1, shift >= 0");
  if (!(c.augment.elastic_alpha >= 0 && c.augment.elastic_alpha <= 100) ||
      !(c.augment.elastic_sigma >= 0.5f && c.augment.elastic_sigma <= 20))
    return fail("elastic distortion needs 0 <= alpha <= 100 pixels and 0.5 <= sigma <= 20 pixels");
  return Status::success();
}

}  // namespace dt
