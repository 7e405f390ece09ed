// Weight initialisers. glorot_uniform is Keras' default; pytorch_uniform is PyTorch's for
// Linear and Conv2d (weights and biases uniform in +-1/sqrt(fan_in)).
#pragma once
#include <string>

#include "util/result.h"
#include "util/rng.h"

namespace dt {

enum class Init { glorot_uniform, he_uniform, he_normal, pytorch_uniform };

const char* init_name(Init init);
Result<Init> parse_init(const std::string& name);

// Fills w (fan_in x fan_out elements) by the initialiser.
void init_weights(float* w, long count, int fan_in, int fan_out, Init init, Rng& rng);
// Biases: zero, except PyTorch's initialiser, which draws them like its weights.
void init_bias(float* b, long count, int fan_in, Init init, Rng& rng);

}  // namespace dt
