// conv2d: a 2-D convolution with OC filters of K x K, stride, and 'same' or 'valid' padding.
#pragma once
#include "kernels/im2col.h"  // ConvGeometry
#include "nn/layer_spec.h"

namespace dt {

struct Conv2dParams {
  static constexpr const char* kName = "conv2d";
  int filters = 0;    // output channels (OC)
  int kernel = 0;     // K: a K x K window
  int stride = 1;
  bool same = false;  // padding: 'same' (as TensorFlow: output = ceil(in / stride)) or 'valid'
  void fields(FieldVisitor& v) {
    v.whole("filters", filters);
    v.whole("kernel", kernel);
    v.whole("stride", stride, 1);
    v.choice("padding", same, "same", "valid", false);
  }
  std::string describe() const;  // "32 3x3 valid"
  Result<std::unique_ptr<Layer>> build(const Shape3& in) const;
  // The convolution's geometry on input `in` (shapes, padding); fails as build() does.
  Result<ConvGeometry> geometry(const Shape3& in) const;
};

}  // namespace dt
