// How much a model costs to build and to run one sample through, worked out from its spec
// before anything is allocated (building a layer allocates nothing). The harnesses build and
// run only models within a budget, so that a valid but huge architecture ("units": 1048576
// after a 1024x1024 input) is skipped rather than mistaken for a hang or an out-of-memory bug.
#pragma once
#include <algorithm>
#include <cstdint>
#include <limits>

#include "fuzz_check.h"
#include "nn/layers/pool_layers.h"
#include "nn/spec.h"

namespace dt::fuzz {

// Floats of parameters; floats of activations, saved and scratch memory per sample; and
// multiply-adds per sample: a few milliseconds per input under the sanitizers. Enough for
// the mlp and fast presets and every tiny shape; keras-cnn and torch-lenet build but do not run.
constexpr uint64_t kMaxParams = uint64_t(1) << 20;
constexpr uint64_t kMaxFloats = uint64_t(1) << 22;
constexpr uint64_t kMaxWork = uint64_t(1) << 23;

namespace detail {
constexpr uint64_t kHuge = std::numeric_limits<uint64_t>::max();
inline uint64_t mul(uint64_t a, uint64_t b) { return a != 0 && b > kHuge / a ? kHuge : a * b; }
inline uint64_t add(uint64_t a, uint64_t b) { return b > kHuge - a ? kHuge : a + b; }
inline uint64_t values(const Shape3& s) {
  return mul(mul(static_cast<uint64_t>(std::max(s.h, 0)), static_cast<uint64_t>(std::max(s.w, 0))),
             static_cast<uint64_t>(std::max(s.c, 0)));
}
}  // namespace detail

// False when the model would exceed the budget. True also when a layer does not fit its input:
// Model::build then says so, having allocated nothing.
inline bool affordable(const ModelSpec& spec) {
  using namespace detail;
  Shape3 shape{spec.height, spec.width, spec.channels};
  uint64_t params = 0, floats = values(shape), work = 0;
  if (floats > kMaxFloats) return false;
  for (const LayerSpec& layer_spec : spec.layers) {
    auto layer = layer_spec.build(shape);
    if (!layer) return true;
    uint64_t layer_params = 0;
    for (const ParamInfo& p : (*layer)->params()) {
      uint64_t n = 1;
      for (int d : p.shape) {
        DT_FUZZ_CHECK(d >= 1);  // a tensor with an empty or negative dimension came out of a build
        n = mul(n, static_cast<uint64_t>(d));
      }
      layer_params = add(layer_params, n);
    }
    const Shape3 out = (*layer)->out_shape();
    DT_FUZZ_CHECK(out.h >= 1 && out.w >= 1 && out.c >= 1);  // a layer that builds has an output
    params = add(params, layer_params);
    const uint64_t out_values = values(out);
    floats = add(floats, out_values);
    if (params > kMaxParams || floats > kMaxFloats) return false;
    // Saved and scratch sizes are asked for only now: for an absurd shape they would overflow.
    floats = add(floats, add(static_cast<uint64_t>((*layer)->saved_floats(1)),
                             static_cast<uint64_t>((*layer)->scratch_floats(1))));
    // Each output reads its share of the weights (a conv's K*K*C, a dense's inputs), or a window.
    uint64_t per_output = 1 + layer_params / static_cast<uint64_t>(out.c);
    if (const auto* pool = layer_spec.as<MaxPoolParams>()) per_output = add(per_output, mul(pool->size, pool->size));
    if (const auto* pool = layer_spec.as<AvgPoolParams>()) per_output = add(per_output, mul(pool->size, pool->size));
    work = add(work, mul(out_values, per_output));
    if (floats > kMaxFloats || work > kMaxWork) return false;
    shape = out;
  }
  return true;
}

}  // namespace dt::fuzz
