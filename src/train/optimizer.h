// Optimisers over the model's flat parameter buffer, tensor by tensor (the model's tensor
// table says which tensors train and which take regularisation).
//
// The kinds and their update rules are described in recipe/train_config.h.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "nn/model.h"
#include "recipe/train_config.h"
#include "util/aligned_buffer.h"
#include "util/result.h"

namespace dt {

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
  int64_t steps() const { return t_; }
  const OptimizerConfig& config() const { return cfg_; }

  // The state a checkpoint keeps (train/run_checkpoint.cpp): the step count that Adam's bias
  // corrections use, and the moments, laid out like the parameters. A rule without a second
  // moment has an empty v; plain sgd keeps no state (its m stays zero).
  bool uses_first_moment() const { return cfg_.kind != OptimizerKind::sgd; }
  bool uses_second_moment() const { return v_.size() > 0; }
  const float* first_moment() const { return m_.data(); }
  const float* second_moment() const { return v_.data(); }
  float* first_moment() { return m_.data(); }
  float* second_moment() { return v_.data(); }
  void set_steps(int64_t t) { t_ = t; }

 private:
  OptimizerConfig cfg_;
  int64_t t_ = 0;
  AlignedBuffer m_, v_;  // first and second moment (or velocity / mean square), like params
};

}  // namespace dt
