// flatten: (H, W, C) to (H*W*C) in NHWC order, as Keras' channels-last flatten.
#pragma once
#include "nn/layer_spec.h"

namespace dt {

struct FlattenParams {
  static constexpr const char* kName = "flatten";
  void fields(FieldVisitor&) {}
  std::string describe() const { return ""; }
  Result<std::unique_ptr<Layer>> build(const Shape3& in) const;
};

}  // namespace dt
