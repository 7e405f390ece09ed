// conv2d: the parameters, their initialisation and the output shape. The arithmetic is a
// convolution algorithm's (nn/conv/conv_algorithm.h), chosen for this layer's geometry.
#include "nn/layers/conv2d_layer.h"

#include <algorithm>

#include "nn/conv/conv_algorithm.h"
#include "nn/layer_registry.h"

namespace dt {
namespace {

class Conv2d final : public Layer {
 public:
  Conv2d(const ConvGeometry& g, int oc) : g_(g), oc_(oc) {}
  Shape3 out_shape() const override { return {g_.OH, g_.OW, oc_}; }
  std::vector<ParamInfo> params() const override {
    return {{"weight", {g_.KH, g_.KW, g_.C, oc_}, true, true}, {"bias", {oc_}, true, false}};
  }
  void init(float* p, Init init, Rng& rng) const override {
    init_weights(p, static_cast<long>(g_.patch()) * oc_, g_.patch(), g_.KH * g_.KW * oc_, init, rng);
    init_bias(p + static_cast<long>(g_.patch()) * oc_, oc_, g_.patch(), init, rng);
  }
  long saved_floats(int n) const override { return algorithm_->saved_floats(n); }
  long scratch_floats(int n) const override { return algorithm_->scratch_floats(n); }
  void forward(const Pass& p) const override { algorithm_->forward(p); }
  void backward(const Pass& p) const override { algorithm_->backward(p); }

 private:
  ConvGeometry g_;
  int oc_;
  std::unique_ptr<ConvAlgorithm> algorithm_ = conv_algorithms().choose(g_, oc_);
};

}  // namespace

std::string Conv2dParams::describe() const {
  std::string d = std::to_string(filters) + " " + std::to_string(kernel) + "x" + std::to_string(kernel) +
                  (same ? " same" : " valid");
  if (stride != 1) d += " stride " + std::to_string(stride);
  return d;
}

Result<ConvGeometry> Conv2dParams::geometry(const Shape3& in) const {
  const Conv2dParams& s = *this;
  if (s.filters < 1 || s.kernel < 1 || s.stride < 1)
    return Error{std::string(kName) + " needs filters, kernel and stride >= 1 (got " + describe() + ")"};
  ConvGeometry g{in.h, in.w, in.c, s.kernel, s.kernel, s.stride, 0, 0, 0, 0};
  if (s.same) {  // as TensorFlow: output = ceil(in / stride), padding split with the extra at the end
    g.OH = (in.h + s.stride - 1) / s.stride;
    g.OW = (in.w + s.stride - 1) / s.stride;
    const int pad_h = std::max(0, (g.OH - 1) * s.stride + s.kernel - in.h);
    const int pad_w = std::max(0, (g.OW - 1) * s.stride + s.kernel - in.w);
    g.pad_top = pad_h / 2;
    g.pad_left = pad_w / 2;
  } else {
    if (s.kernel > in.h || s.kernel > in.w)
      return Error{std::string(kName) + " kernel " + std::to_string(s.kernel) + " is larger than its " + std::to_string(in.h) + "x" +
                   std::to_string(in.w) + " input"};
    g.OH = (in.h - s.kernel) / s.stride + 1;
    g.OW = (in.w - s.kernel) / s.stride + 1;
  }
  return g;
}

Result<std::unique_ptr<Layer>> Conv2dParams::build(const Shape3& in) const {
  auto g = geometry(in);
  if (!g) return Error{g.error()};
  return std::unique_ptr<Layer>(new Conv2d(*g, filters));
}

void register_conv2d_layer(LayerRegistry& registry) { registry.add<Conv2dParams>(); }

}  // namespace dt
