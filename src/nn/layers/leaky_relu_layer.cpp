// Leaky ReLU from the SIMD kernels (kernels/leaky_relu.h; reference: nn/ops/activations.h).
// The backward reads the forward's input, so nothing needs saving.
#include "nn/layers/leaky_relu_layer.h"

#include <cmath>

#include "kernels/leaky_relu.h"
#include "nn/layer_registry.h"

namespace dt {
namespace {

class LeakyRelu final : public Layer {
 public:
  LeakyRelu(Shape3 shape, float alpha) : shape_(shape), alpha_(alpha) {}
  Shape3 out_shape() const override { return shape_; }
  void forward(const Pass& p) const override {
    leaky_relu_forward_simd(p.out, p.in, static_cast<size_t>(p.n * shape_.size()), alpha_);
  }
  void backward(const Pass& p) const override {
    if (p.din) leaky_relu_backward_simd(p.din, p.dout, p.in, static_cast<size_t>(p.n * shape_.size()), alpha_);
  }

 private:
  Shape3 shape_;
  float alpha_;
};

}  // namespace

Result<std::unique_ptr<Layer>> LeakyReluParams::build(const Shape3& in) const {
  if (!std::isfinite(alpha)) return Error{std::string(kName) + " alpha must be a finite number"};
  return std::unique_ptr<Layer>(new LeakyRelu(in, alpha));
}

void register_leaky_relu_layer(LayerRegistry& registry) { registry.add<LeakyReluParams>(); }

}  // namespace dt
