// conv2d as im2col + SIMD GEMM (reference: nn/ops/conv2d.h, which the tests compare against).
//   forward:  col (n*OH*OW, K*K*C) = im2col(in);  out = col . W + b
//   backward: dW += col^T . dout;  db += sum(dout);  dcol = dout . W^T;  din = col2im(dcol)
// The im2col matrix is saved for the backward (recomputing it would cost as much again);
// dcol reuses it once dW no longer needs it. Supports every geometry.
#include "kernels/elementwise.h"
#include "kernels/gemm.h"
#include "kernels/im2col.h"
#include "nn/conv/conv_algorithm.h"

namespace dt {
namespace {

class Im2colGemm final : public ConvAlgorithm {
 public:
  Im2colGemm(const ConvGeometry& g, int oc) : g_(g), oc_(oc) {}
  const char* name() const override { return "im2col+gemm"; }
  long saved_floats(int n) const override { return rows(n) * g_.patch(); }
  long scratch_floats(int) const override { return static_cast<long>(g_.patch()) * oc_; }

  void forward(const Pass& p) const override {
    const float* w = p.params;
    const float* b = w + static_cast<long>(g_.patch()) * oc_;
    float* col = p.saved;
    im2col(col, p.in, g_, p.n);
    gemm_f32(p.out, oc_, col, g_.patch(), 1, w, oc_, static_cast<int>(rows(p.n)), oc_, g_.patch(), false);
    add_bias_rows(p.out, b, static_cast<int>(rows(p.n)), oc_);
  }

  void backward(const Pass& p) const override {
    const int M = static_cast<int>(rows(p.n)), P = g_.patch();
    float* col = p.saved;
    if (p.grads) {  // null when only the input gradient is wanted
      float* dw = p.grads;
      float* db = dw + static_cast<long>(P) * oc_;
      gemm_f32(dw, oc_, col, 1, P, p.dout, oc_, P, oc_, M, true);  // dW (P,OC) += col^T . dout
      sum_rows(db, p.dout, M, oc_);
    }
    if (!p.din) return;
    float* wt = p.scratch;  // (OC, P)
    transpose(wt, p.params, P, oc_);
    gemm_f32(col, P, p.dout, oc_, 1, wt, P, M, P, oc_, false);  // dcol (M,P) = dout . W^T
    col2im(p.din, col, g_, p.n);
  }

 private:
  long rows(int n) const { return static_cast<long>(n) * g_.OH * g_.OW; }
  ConvGeometry g_;
  int oc_;
};

}  // namespace

void register_im2col_gemm_conv(ConvAlgorithms& algorithms) {
  algorithms.add({"im2col+gemm", 0, [](const ConvGeometry&, int) { return true; },
                  [](const ConvGeometry& g, int oc) -> std::unique_ptr<ConvAlgorithm> {
                    return std::make_unique<Im2colGemm>(g, oc);
                  }});
}

}  // namespace dt
