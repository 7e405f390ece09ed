#include "nn/init.h"

#include <cmath>

#include "util/enum_names.h"

namespace dt {

namespace {
constexpr EnumName<Init> kInits[] = {
    {Init::glorot_uniform, "glorot_uniform"}, {Init::he_uniform, "he_uniform"}, {Init::he_normal, "he_normal"},
    {Init::pytorch_uniform, "pytorch_uniform"}};
}  // namespace

const char* init_name(Init init) { return enum_name(kInits, init); }
Result<Init> parse_init(const std::string& name) { return parse_enum(kInits, name, "initialiser"); }

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
