// Activation layers (shape-preserving). ReLU, on every conv and dense of the presets, uses the
// SIMD kernels; sigmoid, tanh and softmax use the reference ops.
#include "nn/layers/activation_layers.h"

#include "kernels/elementwise.h"
#include "nn/layer_registry.h"
#include "nn/ops/activations.h"

namespace dt {
namespace {

class Relu final : public Layer {
 public:
  explicit Relu(Shape3 shape) : shape_(shape) {}
  Shape3 out_shape() const override { return shape_; }
  void forward(const Pass& p) const override { relu_forward(p.out, p.in, static_cast<size_t>(p.n * shape_.size())); }
  void backward(const Pass& p) const override {
    if (p.din) relu_backward(p.din, p.dout, p.out, static_cast<size_t>(p.n * shape_.size()));
  }

 private:
  Shape3 shape_;
};

// sigmoid and tanh through the reference ops.
class ReferenceActivation final : public Layer {
 public:
  ReferenceActivation(Shape3 shape, Activation a) : shape_(shape), a_(a) {}
  Shape3 out_shape() const override { return shape_; }
  void forward(const Pass& p) const override { activation_forward_ref(p.out, p.in, p.n * shape_.size(), a_, 0.0f); }
  void backward(const Pass& p) const override {
    if (p.din) activation_backward_ref(p.din, p.dout, p.in, p.out, p.n * shape_.size(), a_, 0.0f);
  }

 private:
  Shape3 shape_;
  Activation a_;
};

class Softmax final : public Layer {
 public:
  explicit Softmax(Shape3 shape) : shape_(shape) {}
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

Result<std::unique_ptr<Layer>> ReluParams::build(const Shape3& in) const { return std::unique_ptr<Layer>(new Relu(in)); }
Result<std::unique_ptr<Layer>> SigmoidParams::build(const Shape3& in) const {
  return std::unique_ptr<Layer>(new ReferenceActivation(in, Activation::sigmoid));
}
Result<std::unique_ptr<Layer>> TanhParams::build(const Shape3& in) const {
  return std::unique_ptr<Layer>(new ReferenceActivation(in, Activation::tanh));
}
Result<std::unique_ptr<Layer>> SoftmaxParams::build(const Shape3& in) const {
  return std::unique_ptr<Layer>(new Softmax(in));
}

void register_activation_layers(LayerRegistry& registry) {
  registry.add<ReluParams>();
  registry.add<SigmoidParams>();
  registry.add<TanhParams>();
  registry.add<SoftmaxParams>();
}

}  // namespace dt
