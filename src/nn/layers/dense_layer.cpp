// dense as SIMD GEMM (reference: nn/ops/dense.h).
//   forward:  out (n,OUT) = in (n,IN) . W (IN,OUT) + b
//   backward: dW += in^T . dout;  db += sum(dout);  din = dout . W^T (or its transpose,
//             W . dout^T, when the weights are larger than the batch's matrices)
#include "nn/layers/dense_layer.h"

#include "kernels/elementwise.h"
#include "kernels/gemm.h"
#include "kernels/im2col.h"  // transpose
#include "nn/layer_registry.h"

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
  long scratch_floats(int n) const override {
    return transpose_weights(n) ? static_cast<long>(in_) * out_ : static_cast<long>(n) * (in_ + out_);
  }

  void forward(const Pass& p) const override {
    const float* b = p.params + static_cast<long>(in_) * out_;
    gemm_f32(p.out, out_, p.in, in_, 1, p.params, out_, p.n, out_, in_, false);
    add_bias_rows(p.out, b, p.n, out_);
  }

  void backward(const Pass& p) const override {
    if (p.grads) {  // null when only the input gradient is wanted
      float* dw = p.grads;
      float* db = dw + static_cast<long>(in_) * out_;
      gemm_f32(dw, out_, p.in, 1, in_, p.dout, out_, in_, out_, p.n, true);  // dW (IN,OUT) += in^T . dout
      sum_rows(db, p.dout, p.n, out_);
    }
    if (!p.din) return;
    if (transpose_weights(p.n)) {  // din = dout . W^T with W^T (OUT, IN) made contiguous
      float* wt = p.scratch;
      transpose(wt, p.params, in_, out_);
      gemm_f32(p.din, in_, p.dout, out_, 1, wt, in_, p.n, in_, out_, false);
    } else {  // din^T (IN, n) = W (IN, OUT) . dout^T (OUT, n): transposes n-sized matrices only
      float* dout_t = p.scratch;
      float* din_t = dout_t + static_cast<long>(out_) * p.n;
      transpose(dout_t, p.dout, p.n, out_);
      gemm_f32(din_t, p.n, p.params, out_, 1, dout_t, p.n, in_, p.n, out_, false);
      transpose(p.din, din_t, in_, p.n);
    }
  }

 private:
  // Either transpose the weights or the batch-sized matrices, whichever moves fewer floats.
  bool transpose_weights(int n) const { return static_cast<long>(in_) * out_ <= static_cast<long>(n) * (in_ + out_); }

  int in_, out_;
};

}  // namespace

Result<std::unique_ptr<Layer>> DenseParams::build(const Shape3& in) const {
  if (units < 1) return Error{std::string(kName) + " needs units >= 1"};
  return std::unique_ptr<Layer>(new Dense(static_cast<int>(in.size()), units));
}

void register_dense_layer(LayerRegistry& registry) { registry.add<DenseParams>(); }

}  // namespace dt
