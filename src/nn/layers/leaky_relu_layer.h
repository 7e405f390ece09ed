// leaky_relu: y = x where x > 0, else alpha x (a small slope keeps negative units learning).
#pragma once
#include "nn/layer_spec.h"

namespace dt {

struct LeakyReluParams {
  static constexpr const char* kName = "leaky_relu";
  float alpha = 0.01f;  // the negative slope (Keras' LeakyReLU default is 0.3, PyTorch's 0.01)
  void fields(FieldVisitor& v) { v.number("alpha", alpha, 0.01f); }
  std::string describe() const { return number_text(alpha); }
  Result<std::unique_ptr<Layer>> build(const Shape3& in) const;
};

}  // namespace dt
