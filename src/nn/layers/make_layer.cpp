#include <cmath>

#include "nn/layers/layers.h"

namespace dt {

Result<std::unique_ptr<Layer>> make_layer(const LayerSpec& s, Shape3 in) {
  switch (s.kind) {
    case LayerKind::conv2d: return make_conv2d(s, in);
    case LayerKind::dense: return make_dense(s, in);
    case LayerKind::maxpool:
    case LayerKind::avgpool: return make_pool(s, in);
    case LayerKind::flatten: return make_flatten(s, in);
    case LayerKind::dropout: return make_dropout(s, in);
    case LayerKind::batchnorm: return make_batchnorm(s, in);
    case LayerKind::standardize: return make_standardize(s, in);
    case LayerKind::relu:
    case LayerKind::leaky_relu:
    case LayerKind::sigmoid:
    case LayerKind::tanh:
    case LayerKind::softmax: return make_activation(s, in);
  }
  return Error{"unknown layer kind"};
}

void init_weights(float* w, long count, int fan_in, int fan_out, Init init, Rng& rng) {
  switch (init) {
    case Init::glorot_uniform: {  // Keras' default: U(-l, l), l = sqrt(6 / (fan_in + fan_out))
      const float l = std::sqrt(6.0f / float(fan_in + fan_out));
      for (long i = 0; i < count; ++i) w[i] = rng.uniform(-l, l);
      break;
    }
    case Init::he_uniform: {  // U(-l, l), l = sqrt(6 / fan_in)
      const float l = std::sqrt(6.0f / float(fan_in));
      for (long i = 0; i < count; ++i) w[i] = rng.uniform(-l, l);
      break;
    }
    case Init::he_normal: {  // N(0, 2 / fan_in)
      const float s = std::sqrt(2.0f / float(fan_in));
      for (long i = 0; i < count; ++i) w[i] = s * rng.normal();
      break;
    }
    case Init::pytorch_uniform: {  // U(-l, l), l = 1 / sqrt(fan_in)
      const float l = 1.0f / std::sqrt(float(fan_in));
      for (long i = 0; i < count; ++i) w[i] = rng.uniform(-l, l);
      break;
    }
  }
}

void init_bias(float* b, long count, int fan_in, Init init, Rng& rng) {
  if (init == Init::pytorch_uniform) {
    init_weights(b, count, fan_in, 0, init, rng);
    return;
  }
  for (long i = 0; i < count; ++i) b[i] = 0.0f;
}

}  // namespace dt
