// Flatten: NHWC is already contiguous per sample, so flattening is a copy that changes only the
// shape (and matches Keras' channels-last flatten order).
#include "nn/layers/flatten_layer.h"

#include <cstring>

#include "nn/layer_registry.h"

namespace dt {
namespace {

class Flatten final : public Layer {
 public:
  explicit Flatten(Shape3 in) : size_(static_cast<int>(in.size())) {}
  Shape3 out_shape() const override { return {1, 1, size_}; }
  void forward(const Pass& p) const override { std::memcpy(p.out, p.in, sizeof(float) * p.n * size_); }
  void backward(const Pass& p) const override {
    if (p.din) std::memcpy(p.din, p.dout, sizeof(float) * p.n * size_);
  }

 private:
  int size_;
};

}  // namespace

Result<std::unique_ptr<Layer>> FlattenParams::build(const Shape3& in) const {
  return std::unique_ptr<Layer>(new Flatten(in));
}

void register_flatten_layer(LayerRegistry& registry) { registry.add<FlattenParams>(); }

}  // namespace dt
