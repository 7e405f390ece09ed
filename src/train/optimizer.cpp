#include "train/optimizer.h"

#include <algorithm>
#include <cmath>

namespace dt {

Optimizer::Optimizer(const OptimizerConfig& config, const Model& model) : cfg_(config) {
  m_.resize(model.num_params());
  if (cfg_.kind == OptimizerKind::adam) v_.resize(model.num_params());
}

void Optimizer::step(Model& model, float* grads, float lr) {
  begin_step();
  update(model, grads, lr, 0, model.num_params());
}

namespace {
// The update rules over one run of n parameters. The pointers never alias and the constants
// are locals, so the compiler vectorises every loop (natively and to SIMD128).
struct Rule {
  OptimizerKind kind;
  float lr, momentum, rho, eps, beta1, beta2;
  float adam_step, adam_eps;  // Adam with its bias corrections folded in (as PyTorch does)

  void apply(float* __restrict w, const float* __restrict g, float* __restrict m, float* __restrict v,
             long n) const {
    const float lr_ = lr, mu = momentum, rho_ = rho, eps_ = eps, b1 = beta1, b2 = beta2;
    switch (kind) {
      case OptimizerKind::sgd:
        for (long i = 0; i < n; ++i) w[i] -= lr_ * g[i];
        break;
      case OptimizerKind::momentum:
        for (long i = 0; i < n; ++i) {
          m[i] = mu * m[i] + g[i];
          w[i] -= lr_ * m[i];
        }
        break;
      case OptimizerKind::nesterov:
        for (long i = 0; i < n; ++i) {
          m[i] = mu * m[i] + g[i];
          w[i] -= lr_ * (g[i] + mu * m[i]);
        }
        break;
      case OptimizerKind::rmsprop:
        for (long i = 0; i < n; ++i) {
          m[i] = rho_ * m[i] + (1.0f - rho_) * g[i] * g[i];
          w[i] -= lr_ * g[i] / (std::sqrt(m[i]) + eps_);
        }
        break;
      case OptimizerKind::adam: {
        const float step = adam_step, eps_hat = adam_eps;
        for (long i = 0; i < n; ++i) {
          m[i] = b1 * m[i] + (1.0f - b1) * g[i];
          v[i] = b2 * v[i] + (1.0f - b2) * g[i] * g[i];
          w[i] -= step * m[i] / (std::sqrt(v[i]) + eps_hat);
        }
        break;
      }
    }
  }
};
}  // namespace

// lr (m / b1t) / (sqrt(v / b2t) + eps) = [lr sqrt(b2t) / b1t] m / (sqrt(v) + eps sqrt(b2t)):
// one multiply and one divide per parameter instead of three divides.
void Optimizer::update(Model& model, float* grads, float lr, long lo, long hi) {
  const float b1t = 1.0f - std::pow(cfg_.beta1, static_cast<float>(t_));
  const float b2t = 1.0f - std::pow(cfg_.beta2, static_cast<float>(t_));
  const Rule rule{cfg_.kind, lr, cfg_.momentum, cfg_.rho, cfg_.eps, cfg_.beta1, cfg_.beta2,
                  lr * std::sqrt(b2t) / b1t, cfg_.eps * std::sqrt(b2t)};
  const float l1 = cfg_.l1, l2x2 = 2.0f * cfg_.l2;
  float* params = model.params();
  for (const TensorInfo& t : model.tensors()) {
    const long s = std::max(lo, t.offset), e = std::min(hi, t.offset + t.size);
    if (!t.trainable || s >= e) continue;
    float* __restrict w = params + s;
    float* __restrict g = grads + s;
    const long n = e - s;
    if (t.decays && (l1 != 0.0f || l2x2 != 0.0f))
      for (long i = 0; i < n; ++i) g[i] += l2x2 * w[i] + l1 * ((w[i] > 0.0f) - (w[i] < 0.0f));
    rule.apply(w, g, m_.data() + s, v_.size() == 0 ? nullptr : v_.data() + s, n);
  }
}

}  // namespace dt
