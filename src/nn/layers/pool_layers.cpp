// Max and average pooling layers. Max pooling (in every preset) uses the channel-vectorised
// kernels, which keep no indices: the backward compares its input with its output to find each
// window's winner. Average pooling uses the reference ops.
#include "nn/layers/pool_layers.h"

#include "kernels/pool.h"
#include "nn/layer_registry.h"
#include "nn/ops/pool.h"

namespace dt {
namespace {

class MaxPool final : public Layer {
 public:
  explicit MaxPool(const PoolGeometry& g) : g_(g) {}
  Shape3 out_shape() const override { return {g_.OH, g_.OW, g_.C}; }
  void forward(const Pass& p) const override { maxpool_forward_simd(p.out, p.in, g_, p.n); }
  void backward(const Pass& p) const override {
    if (p.din) maxpool_backward_simd(p.din, p.dout, p.in, p.out, g_, p.n);
  }

 private:
  PoolGeometry g_;
};

class AvgPool final : public Layer {
 public:
  explicit AvgPool(const PoolGeometry& g) : g_(g) {}
  Shape3 out_shape() const override { return {g_.OH, g_.OW, g_.C}; }
  void forward(const Pass& p) const override { avgpool_forward_ref(p.out, p.in, g_, p.n); }
  void backward(const Pass& p) const override {
    if (p.din) avgpool_backward_ref(p.din, p.dout, g_, p.n);
  }

 private:
  PoolGeometry g_;
};

}  // namespace

namespace {
// The window's geometry over `in`, or why it does not fit.
Result<PoolGeometry> window_geometry(const PoolWindow& p, const char* name, const Shape3& in) {
  if (p.size < 1 || p.stride < 1) return Error{std::string(name) + " needs size and stride >= 1"};
  if (p.size > in.h || p.size > in.w)
    return Error{std::string(name) + " window " + std::to_string(p.size) + " is larger than its " +
                 std::to_string(in.h) + "x" + std::to_string(in.w) + " input"};
  return PoolGeometry{in.h, in.w, in.c, p.size, p.stride, (in.h - p.size) / p.stride + 1, (in.w - p.size) / p.stride + 1};
}
}  // namespace

Result<std::unique_ptr<Layer>> MaxPoolParams::build(const Shape3& in) const {
  Result<PoolGeometry> g = window_geometry(*this, kName, in);
  if (!g) return Error{g.error()};
  return std::unique_ptr<Layer>(new MaxPool(*g));
}

Result<std::unique_ptr<Layer>> AvgPoolParams::build(const Shape3& in) const {
  Result<PoolGeometry> g = window_geometry(*this, kName, in);
  if (!g) return Error{g.error()};
  return std::unique_ptr<Layer>(new AvgPool(*g));
}

void register_pool_layers(LayerRegistry& registry) {
  registry.add<MaxPoolParams>();
  registry.add<AvgPoolParams>();
}

}  // namespace dt
