// The interface every layer implements. A layer is immutable once built: its forward and
// backward read and write only the explicit buffers in a Pass, so shards of a batch can run
// the same layer on several threads at once.
//
// Conventions (as in the ops):
// - activations are NHWC, one sample after another; shapes below are per shard (n samples);
// - forward writes `out` and whatever the backward needs into `saved`;
// - backward *overwrites* `din` (null for the first layer unless the input's gradient is asked
//   for, as attribution does) and *accumulates* into `grads` (cleared once per step by the
//   trainer; null when only the input gradient is wanted, and then nothing is accumulated);
// - backward's `training` is the mode of the forward it follows: after an inference forward
//   (attribution), the backward differentiates the inference function (batch norm on its
//   running statistics, dropout as the identity).
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "nn/init.h"
#include "util/rng.h"

namespace dt {

struct Shape3 {
  int h = 1, w = 1, c = 1;
  long size() const { return static_cast<long>(h) * w * c; }
};

// One tensor of a layer's parameters (weights, biases, batch-norm statistics).
struct ParamInfo {
  std::string name;        // e.g. "weight", "bias", "running_mean"
  std::vector<int> shape;  // e.g. {KH, KW, C, OC}
  bool trainable = true;   // false for running statistics: saved, not optimised
  bool decays = false;     // L1/L2 regularisation applies (weights, not biases)
  long size() const {
    long s = 1;
    for (int d : shape) s *= d;
    return s;
  }
};

struct Pass {
  int n = 0;                 // samples in this shard
  long first_sample = 0;     // index of the shard's first sample in the whole batch
  uint64_t seed = 0;         // this step's seed (dropout)
  bool training = false;         // forward: training mode; backward: the mode of the forward it follows
  const float* in = nullptr;     // (n, in_shape)
  float* out = nullptr;          // (n, out_shape)
  float* din = nullptr;          // (n, in_shape) or null
  const float* dout = nullptr;   // (n, out_shape)
  const float* params = nullptr; // this layer's parameters, laid out as params()
  float* grads = nullptr;        // same layout; null: parameter gradients not wanted
  float* saved = nullptr;        // saved_floats(n): forward -> backward
  float* scratch = nullptr;      // scratch_floats(n): free for the duration of one call
};

class Layer {
 public:
  virtual ~Layer() = default;
  virtual Shape3 out_shape() const = 0;
  virtual std::vector<ParamInfo> params() const { return {}; }
  // Fills freshly allocated parameters (weights from the spec's initialiser, biases 0, ...).
  virtual void init(float* /*params*/, Init /*init*/, Rng& /*rng*/) const {}
  virtual long saved_floats(int /*n*/) const { return 0; }
  virtual long scratch_floats(int /*n*/) const { return 0; }
  virtual void forward(const Pass& p) const = 0;
  virtual void backward(const Pass& p) const = 0;
  // Runs once per training step after every shard's backward, with each shard's `saved`
  // buffer and sample count; batch normalisation updates its running statistics here.
  virtual void after_step(float* /*params*/, const std::vector<const float*>& /*saved*/,
                          const std::vector<int>& /*n*/) const {}
};

}  // namespace dt
