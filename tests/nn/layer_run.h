// A lone layer's buffers for the nn suite's tests.
#pragma once
#include <algorithm>
#include <vector>

#include "nn/layer.h"

namespace dt::test {

// One layer run by itself, outside a model: buffers for n samples of its output, what it saves
// for the backward and its scratch, and a training Pass over them and the caller's input and
// parameters. Set pass.dout, pass.din and pass.grads before a backward.
struct LayerRun {
  LayerRun(const Layer& layer, int n, const float* in, const float* params = nullptr)
      : out(static_cast<size_t>(n) * layer.out_shape().size()),
        saved(static_cast<size_t>(std::max(1L, layer.saved_floats(n)))),
        scratch(static_cast<size_t>(std::max(1L, layer.scratch_floats(n)))) {
    pass.n = n;
    pass.in = in;
    pass.out = out.data();
    pass.params = params;
    pass.saved = saved.data();
    pass.scratch = scratch.data();
    pass.training = true;
  }
  LayerRun(const LayerRun&) = delete;  // pass points into the buffers
  LayerRun& operator=(const LayerRun&) = delete;

  std::vector<float> out, saved, scratch;
  Pass pass;
};

}  // namespace dt::test
