// maxpool and avgpool: a `size` x `size` window moved by `stride` (by default its own size,
// so windows tile the input), per channel, without padding.
#pragma once
#include "nn/layer_spec.h"

namespace dt {

struct PoolWindow {
  int size = 0;
  int stride = 0;
  explicit PoolWindow(int size = 0, int stride = 0) : size(size), stride(stride > 0 ? stride : size) {}
  void fields(FieldVisitor& v) {
    v.whole("size", size);
    v.whole("stride", stride, size);  // read after size: its default
  }
  std::string describe() const {
    return std::to_string(size) + (stride != size ? " stride " + std::to_string(stride) : "");
  }
};

struct MaxPoolParams : PoolWindow {
  static constexpr const char* kName = "maxpool";
  using PoolWindow::PoolWindow;
  Result<std::unique_ptr<Layer>> build(const Shape3& in) const;
};

struct AvgPoolParams : PoolWindow {
  static constexpr const char* kName = "avgpool";
  using PoolWindow::PoolWindow;
  Result<std::unique_ptr<Layer>> build(const Shape3& in) const;
};

}  // namespace dt
