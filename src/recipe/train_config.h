// How a model is trained, as plain data: the optimiser and its settings, the learning-rate
// schedule, the loss, augmentation, epochs and batch. Presets, the CLI's flags, the page's
// start config and the UI's Train panel all speak in these types, and none of them needs the
// training code to do so (the UI, which never trains, links this but not train/).
#pragma once
#include <cstdint>
#include <string>

#include "data/augment.h"
#include "util/result.h"

namespace dt {

//   sgd       w -= lr g
//   momentum  v = mu v + g;  w -= lr v              (PyTorch's form; nesterov: w -= lr (g + mu v))
//   rmsprop   s = rho s + (1-rho) g^2;  w -= lr g / (sqrt(s) + eps)
//   adam      m = b1 m + (1-b1) g;  v = b2 v + (1-b2) g^2;
//             w -= lr * (m / (1-b1^t)) / (sqrt(v / (1-b2^t)) + eps)
// Regularisation follows Keras: l2 adds l2 * sum(w^2) to the loss and l1 adds l1 * sum(|w|),
// on weights only, never biases or norm parameters.
enum class OptimizerKind { sgd, momentum, nesterov, rmsprop, adam };
constexpr OptimizerKind kOptimizerKinds[] = {OptimizerKind::sgd, OptimizerKind::momentum, OptimizerKind::nesterov,
                                             OptimizerKind::rmsprop, OptimizerKind::adam};

struct OptimizerConfig {
  OptimizerKind kind = OptimizerKind::adam;
  float momentum = 0.9f;  // momentum, nesterov
  float beta1 = 0.9f, beta2 = 0.999f;
  float rho = 0.9f;       // rmsprop
  float eps = 1e-7f;      // Keras' default for Adam and RMSProp
  float l1 = 0.0f, l2 = 0.0f;
};

//   constant   lr
//   step       lr * gamma^(floor(epoch / step_epochs))
//   cosine     lr * (1 + cos(pi * s / S)) / 2                 (S = total steps)
//   one_cycle  linear warm-up from lr/div to lr over the first `warmup` fraction of steps,
//              then cosine annealing down to lr/final_div (Smith & Topin)
enum class ScheduleKind { constant, step, cosine, one_cycle };
constexpr ScheduleKind kScheduleKinds[] = {ScheduleKind::constant, ScheduleKind::step, ScheduleKind::cosine,
                                           ScheduleKind::one_cycle};

struct Schedule {
  ScheduleKind kind = ScheduleKind::constant;
  float step_gamma = 0.5f;
  int step_epochs = 1;
  float warmup = 0.25f;
  float div = 25.0f;
  float final_div = 1e4f;
};

// The training objective on the model's outputs (nn/ops/loss.h has the maths).
enum class LossKind { cross_entropy, focal, mse };
constexpr LossKind kLossKinds[] = {LossKind::cross_entropy, LossKind::focal, LossKind::mse};

struct TrainConfig {
  int epochs = 5;
  int batch = 32;
  float lr = 1e-3f;
  OptimizerConfig optimizer;
  Schedule schedule;
  LossKind loss = LossKind::cross_entropy;
  float focal_gamma = 2.0f;
  float label_smoothing = 0.0f;  // cross-entropy only: the share of the target spread over all classes
  Augment augment;
  uint64_t seed = 1;
  int threads = 0;   // 0: every hardware thread
  int patience = 0;  // early stopping: epochs without a better validation loss; 0 = off
};

// Checks ranges (positive batch and epochs, finite positive lr, ...); the message names the
// offending setting.
Status validate(const TrainConfig& config);

// Names as users write them on the command line, in the page and in saved files.
const char* optimizer_name(OptimizerKind kind);
Result<OptimizerKind> parse_optimizer(const std::string& name);
const char* schedule_name(ScheduleKind kind);
Result<ScheduleKind> parse_schedule(const std::string& name);
const char* loss_name(LossKind loss);
Result<LossKind> parse_loss(const std::string& name);

}  // namespace dt
