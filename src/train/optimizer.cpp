#include "train/optimizer.h"

#include <cmath>

#include "util/enum_names.h"

namespace dt {

namespace {
constexpr EnumName<OptimizerKind> kNames[] = {{OptimizerKind::sgd, "sgd"},
                                              {OptimizerKind::momentum, "momentum"},
                                              {OptimizerKind::nesterov, "nesterov"},
                                              {OptimizerKind::rmsprop, "rmsprop"},
                                              {OptimizerKind::adam, "adam"}};
}  // namespace

const char* optimizer_name(OptimizerKind kind) { return enum_name(kNames, kind); }
Result<OptimizerKind> parse_optimizer(const std::string& name) { return parse_enum(kNames, name, "optimizer"); }

Optimizer::Optimizer(const OptimizerConfig& config, const Model& model) : cfg_(config) {
  m_.resize(model.num_params());
  if (cfg_.kind == OptimizerKind::adam) v_.resize(model.num_params());
}

void Optimizer::step(Model& model, float* grads, float lr) {
  ++t_;
  float* params = model.params();
  const float b1t = 1.0f - std::pow(cfg_.beta1, static_cast<float>(t_));
  const float b2t = 1.0f - std::pow(cfg_.beta2, static_cast<float>(t_));
  for (const TensorInfo& t : model.tensors()) {
    if (!t.trainable) continue;
    float* w = params + t.offset;
    float* g = grads + t.offset;
    float* m = m_.data() + t.offset;
    const long n = t.size;
    if (t.decays && (cfg_.l1 != 0.0f || cfg_.l2 != 0.0f))
      for (long i = 0; i < n; ++i) g[i] += 2.0f * cfg_.l2 * w[i] + cfg_.l1 * ((w[i] > 0.0f) - (w[i] < 0.0f));
    switch (cfg_.kind) {
      case OptimizerKind::sgd:
        for (long i = 0; i < n; ++i) w[i] -= lr * g[i];
        break;
      case OptimizerKind::momentum:
        for (long i = 0; i < n; ++i) {
          m[i] = cfg_.momentum * m[i] + g[i];
          w[i] -= lr * m[i];
        }
        break;
      case OptimizerKind::nesterov:
        for (long i = 0; i < n; ++i) {
          m[i] = cfg_.momentum * m[i] + g[i];
          w[i] -= lr * (g[i] + cfg_.momentum * m[i]);
        }
        break;
      case OptimizerKind::rmsprop:
        for (long i = 0; i < n; ++i) {
          m[i] = cfg_.rho * m[i] + (1.0f - cfg_.rho) * g[i] * g[i];
          w[i] -= lr * g[i] / (std::sqrt(m[i]) + cfg_.eps);
        }
        break;
      case OptimizerKind::adam: {
        float* v = v_.data() + t.offset;
        for (long i = 0; i < n; ++i) {
          m[i] = cfg_.beta1 * m[i] + (1.0f - cfg_.beta1) * g[i];
          v[i] = cfg_.beta2 * v[i] + (1.0f - cfg_.beta2) * g[i] * g[i];
          w[i] -= lr * (m[i] / b1t) / (std::sqrt(v[i] / b2t) + cfg_.eps);
        }
        break;
      }
    }
  }
}

}  // namespace dt
