// Max and average pooling layers. Max pooling (in every preset) uses the channel-vectorised
// kernels, which keep no indices: the backward compares its input with its output to find each
// window's winner. Average pooling uses the reference ops.
#include "kernels/pool.h"
#include "nn/layers/layers.h"
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

Result<std::unique_ptr<Layer>> make_pool(const LayerSpec& s, Shape3 in) {
  const char* name = layer_kind_name(s.kind);
  if (s.kernel < 1 || s.stride < 1) return Error{std::string(name) + " needs size and stride >= 1"};
  if (s.kernel > in.h || s.kernel > in.w)
    return Error{std::string(name) + " window " + std::to_string(s.kernel) + " is larger than its " +
                 std::to_string(in.h) + "x" + std::to_string(in.w) + " input"};
  PoolGeometry g{in.h, in.w, in.c, s.kernel, s.stride, (in.h - s.kernel) / s.stride + 1,
                 (in.w - s.kernel) / s.stride + 1};
  if (s.kind == LayerKind::maxpool) return std::unique_ptr<Layer>(new MaxPool(g));
  return std::unique_ptr<Layer>(new AvgPool(g));
}

}  // namespace dt
