// Standardize: y = (x - mean) / std with fixed constants, as PyTorch's MNIST examples
// normalise their inputs (mean 0.1307, std 0.3081). Part of the model rather than of the
// data pipeline, so a saved model carries it and the page's drawing pad gets it for free.
#include "nn/layers/standardize_layer.h"

#include <cmath>

#include "nn/layer_registry.h"

namespace dt {
namespace {

class Standardize final : public Layer {
 public:
  Standardize(Shape3 shape, float mean, float std) : shape_(shape), mean_(mean), inv_std_(1.0f / std) {}
  Shape3 out_shape() const override { return shape_; }
  void forward(const Pass& p) const override {
    const long n = p.n * shape_.size();
    for (long i = 0; i < n; ++i) p.out[i] = (p.in[i] - mean_) * inv_std_;
  }
  void backward(const Pass& p) const override {
    if (!p.din) return;
    const long n = p.n * shape_.size();
    for (long i = 0; i < n; ++i) p.din[i] = p.dout[i] * inv_std_;
  }

 private:
  Shape3 shape_;
  float mean_, inv_std_;
};

}  // namespace

Result<std::unique_ptr<Layer>> StandardizeParams::build(const Shape3& in) const {
  if (!(std > 0.0f) || !std::isfinite(std) || !std::isfinite(mean))
    return Error{std::string(kName) + " needs a finite mean and a positive std"};
  return std::unique_ptr<Layer>(new Standardize(in, mean, std));
}

void register_standardize_layer(LayerRegistry& registry) { registry.add<StandardizeParams>(); }

}  // namespace dt
