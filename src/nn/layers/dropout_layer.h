// dropout: while training, zeroes each value with probability `rate` and scales the rest by
// 1 / (1 - rate); identity in inference.
#pragma once
#include "nn/layer_spec.h"

namespace dt {

struct DropoutParams {
  static constexpr const char* kName = "dropout";
  float rate = 0.0f;
  void fields(FieldVisitor& v) { v.number("rate", rate); }
  std::string describe() const { return number_text(rate); }
  Result<std::unique_ptr<Layer>> build(const Shape3& in) const;
};

}  // namespace dt
