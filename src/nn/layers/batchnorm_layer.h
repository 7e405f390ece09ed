// batchnorm: normalises each channel by its batch statistics while training and by running
// averages in inference, then scales and shifts it (gamma, beta). Keras' defaults.
#pragma once
#include "nn/layer_spec.h"

namespace dt {

struct BatchNormParams {
  static constexpr const char* kName = "batchnorm";
  float eps = 1e-3f;       // added to the variance
  float momentum = 0.99f;  // of the running averages
  void fields(FieldVisitor& v) {
    v.number("eps", eps, 1e-3f);
    v.number("momentum", momentum, 0.99f);
  }
  std::string describe() const { return ""; }
  Result<std::unique_ptr<Layer>> build(const Shape3& in) const;
};

}  // namespace dt
