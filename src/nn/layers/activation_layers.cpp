// Activation layers (shape-preserving). ReLU, on every conv and dense of the presets, uses the
// SIMD kernels; the others use the reference ops.
#include "kernels/elementwise.h"
#include "nn/layers/layers.h"
#include "nn/ops/activations.h"

namespace dt {
namespace {

class ActivationLayer final : public Layer {
 public:
  ActivationLayer(Shape3 shape, Activation a, float alpha) : shape_(shape), a_(a), alpha_(alpha) {}
  Shape3 out_shape() const override { return shape_; }
  void forward(const Pass& p) const override {
    const long n = p.n * shape_.size();
    if (a_ == Activation::relu)
      relu_forward(p.out, p.in, static_cast<size_t>(n));
    else
      activation_forward_ref(p.out, p.in, n, a_, alpha_);
  }
  void backward(const Pass& p) const override {
    if (!p.din) return;
    const long n = p.n * shape_.size();
    if (a_ == Activation::relu)
      relu_backward(p.din, p.dout, p.out, static_cast<size_t>(n));
    else
      activation_backward_ref(p.din, p.dout, p.in, p.out, n, a_, alpha_);
  }

 private:
  Shape3 shape_;
  Activation a_;
  float alpha_;
};

class SoftmaxLayer final : public Layer {
 public:
  explicit SoftmaxLayer(Shape3 shape) : shape_(shape) {}
  Shape3 out_shape() const override { return shape_; }
  void forward(const Pass& p) const override {
    softmax_forward_ref(p.out, p.in, p.n, static_cast<int>(shape_.size()));
  }
  void backward(const Pass& p) const override {
    if (p.din) softmax_backward_ref(p.din, p.dout, p.out, p.n, static_cast<int>(shape_.size()));
  }

 private:
  Shape3 shape_;
};

}  // namespace

Result<std::unique_ptr<Layer>> make_activation(const LayerSpec& s, Shape3 in) {
  switch (s.kind) {
    case LayerKind::relu: return std::unique_ptr<Layer>(new ActivationLayer(in, Activation::relu, 0));
    case LayerKind::leaky_relu:
      return std::unique_ptr<Layer>(new ActivationLayer(in, Activation::leaky_relu, s.alpha));
    case LayerKind::sigmoid: return std::unique_ptr<Layer>(new ActivationLayer(in, Activation::sigmoid, 0));
    case LayerKind::tanh: return std::unique_ptr<Layer>(new ActivationLayer(in, Activation::tanh, 0));
    case LayerKind::softmax: return std::unique_ptr<Layer>(new SoftmaxLayer(in));
    default: return Error{std::string("not an activation: ") + layer_kind_name(s.kind)};
  }
}

}  // namespace dt
