// Dropout (reference op; the mask is saved for the backward). Identity in inference.
#include "nn/layers/dropout_layer.h"

#include <cstring>

#include "nn/layer_registry.h"
#include "nn/ops/dropout.h"

namespace dt {
namespace {

class Dropout final : public Layer {
 public:
  Dropout(Shape3 shape, float rate) : shape_(shape), rate_(rate) {}
  Shape3 out_shape() const override { return shape_; }
  long saved_floats(int n) const override { return n * shape_.size(); }
  void forward(const Pass& p) const override {
    const long n = p.n * shape_.size();
    if (!p.training || rate_ == 0.0f) {
      std::memcpy(p.out, p.in, sizeof(float) * n);
      for (long i = 0; i < n; ++i) p.saved[i] = 1.0f;
      return;
    }
    dropout_forward_ref(p.out, p.saved, p.in, p.n, shape_.size(), rate_, p.seed, p.first_sample);
  }
  void backward(const Pass& p) const override {
    if (p.din) dropout_backward_ref(p.din, p.dout, p.saved, p.n * shape_.size());
  }

 private:
  Shape3 shape_;
  float rate_;
};

}  // namespace

Result<std::unique_ptr<Layer>> DropoutParams::build(const Shape3& in) const {
  if (!(rate >= 0.0f && rate < 1.0f)) return Error{std::string(kName) + " rate must be in [0, 1), got " + std::to_string(rate)};
  return std::unique_ptr<Layer>(new Dropout(in, rate));
}

void register_dropout_layer(LayerRegistry& registry) { registry.add<DropoutParams>(); }

}  // namespace dt
