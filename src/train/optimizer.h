// Optimisers over the model's flat parameter buffer, tensor by tensor (the model's tensor
// table says which tensors train and which take regularisation).
//
//   sgd       w -= lr g
//   momentum  v = mu v + g;  w -= lr v              (PyTorch's form; nesterov: w -= lr (g + mu v))
//   rmsprop   s = rho s + (1-rho) g^2;  w -= lr g / (sqrt(s) + eps)
//   adam      m = b1 m + (1-b1) g;  v = b2 v + (1-b2) g^2;
//             w -= lr * (m / (1-b1^t)) / (sqrt(v / (1-b2^t)) + eps)
//
// Regularisation follows Keras: l2 adds l2 * sum(w^2) to the loss (gradient 2 l2 w) and l1
// adds l1 * sum(|w|) (gradient l1 sign(w)), on weights only, never biases or norm parameters.
#pragma once
#include <string>
#include <vector>

#include "nn/model.h"
#include "util/aligned_buffer.h"
#include "util/enum_names.h"
#include "util/result.h"

namespace dt {

enum class OptimizerKind { sgd, momentum, nesterov, rmsprop, adam };

struct OptimizerConfig {
  OptimizerKind kind = OptimizerKind::adam;
  float momentum = 0.9f;  // momentum, nesterov
  float beta1 = 0.9f, beta2 = 0.999f;
  float rho = 0.9f;       // rmsprop
  float eps = 1e-7f;      // Keras' default for Adam and RMSProp
  float l1 = 0.0f, l2 = 0.0f;
};

// Every kind with its name, in the order menus list them.
inline constexpr EnumName<OptimizerKind> kOptimizerNames[] = {{OptimizerKind::sgd, "sgd"},
                                                             {OptimizerKind::momentum, "momentum"},
                                                             {OptimizerKind::nesterov, "nesterov"},
                                                             {OptimizerKind::rmsprop, "rmsprop"},
                                                             {OptimizerKind::adam, "adam"}};

const char* optimizer_name(OptimizerKind kind);
Result<OptimizerKind> parse_optimizer(const std::string& name);

class Optimizer {
 public:
  Optimizer(const OptimizerConfig& config, const Model& model);
  // One update of model parameters from grads (num_params floats, same layout), at rate lr.
  // grads is modified (regularisation is added into it).
  void step(Model& model, float* grads, float lr);

  // The same step in pieces, so threads can share it: begin_step() once, then update() on
  // disjoint ranges [lo, hi) of the parameter buffer that together cover it.
  void begin_step() { ++t_; }
  void update(Model& model, float* grads, float lr, long lo, long hi);
  long steps() const { return t_; }
  const OptimizerConfig& config() const { return cfg_; }

 private:
  OptimizerConfig cfg_;
  long t_ = 0;
  AlignedBuffer m_, v_;  // first and second moment (or velocity / mean square), like params
};

}  // namespace dt
