// dense as SIMD GEMM (reference: nn/ops/dense.h).
//   forward:  out (n,OUT) = in (n,IN) . W (IN,OUT) + b
//   backward: dW += in^T . dout;  db += sum(dout);  din = dout . W^T
#include "kernels/elementwise.h"
#include "kernels/gemm.h"
#include "kernels/im2col.h"  // transpose
#include "nn/layers/layers.h"

namespace dt {
namespace {

class Dense final : public Layer {
 public:
  Dense(int in, int out) : in_(in), out_(out) {}
  Shape3 out_shape() const override { return {1, 1, out_}; }
  std::vector<ParamInfo> params() const override {
    return {{"weight", {in_, out_}, true, true}, {"bias", {out_}, true, false}};
  }
  void init(float* p, Init init, Rng& rng) const override {
    init_weights(p, static_cast<long>(in_) * out_, in_, out_, init, rng);
    init_bias(p + static_cast<long>(in_) * out_, out_, in_, init, rng);
  }
  long scratch_floats(int) const override { return static_cast<long>(in_) * out_; }

  void forward(const Pass& p) const override {
    const float* b = p.params + static_cast<long>(in_) * out_;
    gemm_f32(p.out, out_, p.in, in_, 1, p.params, out_, p.n, out_, in_, false);
    add_bias_rows(p.out, b, p.n, out_);
  }

  void backward(const Pass& p) const override {
    float* dw = p.grads;
    float* db = dw + static_cast<long>(in_) * out_;
    gemm_f32(dw, out_, p.in, 1, in_, p.dout, out_, in_, out_, p.n, true);  // dW (IN,OUT) += in^T . dout
    sum_rows(db, p.dout, p.n, out_);
    if (!p.din) return;
    float* wt = p.scratch;  // (OUT, IN)
    transpose(wt, p.params, in_, out_);
    gemm_f32(p.din, in_, p.dout, out_, 1, wt, in_, p.n, in_, out_, false);
  }

 private:
  int in_, out_;
};

}  // namespace

Result<std::unique_ptr<Layer>> make_dense(const LayerSpec& s, Shape3 in) {
  if (s.units < 1) return Error{"dense needs units >= 1"};
  return std::unique_ptr<Layer>(new Dense(static_cast<int>(in.size()), s.units));
}

}  // namespace dt
