// standardize: y = (x - mean) / std with fixed constants, as PyTorch's MNIST examples
// normalise their inputs (mean 0.1307, std 0.3081).
#pragma once
#include "nn/layer_spec.h"

namespace dt {

struct StandardizeParams {
  static constexpr const char* kName = "standardize";
  float mean = 0.0f;
  float std = 1.0f;
  void fields(FieldVisitor& v) {
    v.number("mean", mean);
    v.number("std", std);
  }
  std::string describe() const { return "mean " + number_text(mean) + " std " + number_text(std); }
  Result<std::unique_ptr<Layer>> build(const Shape3& in) const;
};

}  // namespace dt
