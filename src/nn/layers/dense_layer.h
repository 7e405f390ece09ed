// dense: a fully connected layer of `units` outputs over the whole (flattened) input.
#pragma once
#include "nn/layer_spec.h"

namespace dt {

struct DenseParams {
  static constexpr const char* kName = "dense";
  int units = 0;
  void fields(FieldVisitor& v) { v.whole("units", units); }
  std::string describe() const { return std::to_string(units); }
  Result<std::unique_ptr<Layer>> build(const Shape3& in) const;
};

}  // namespace dt
