// conv2d as Winograd F(2x2,3x3) (kernels/winograd.h), with the 16 transformed-domain matrix
// products done by gemm_f32. Per shard of T = n * ceil(OH/2) * ceil(OW/2) tiles:
//   forward:  V = B^T d B (saved);  U = G g G^T (saved);  M[k] = V[k] . U[k];  out = A^T M A + b
//   backward: dM = A dout A^T;  dU[k] = V[k]^T . dM[k];  dW += G^T dU G;  db += sum(dout);
//             dV[k] = dM[k] . U[k]^T (into V's place);  din = B dV B^T
// every step the adjoint of a forward step, read in reverse.
#include "nn/conv/winograd_conv.h"

#include <algorithm>

#include "kernels/elementwise.h"
#include "kernels/gemm.h"
#include "kernels/winograd.h"

namespace dt {
namespace {

constexpr int kP = kWinogradPoints;

// Floats of V and M per block of tiles (512 KiB): small enough that a block's transforms find
// it in L2, large enough that the matrix products stay long (dU accumulates over the blocks, in
// products as deep as a block). On 13x13x32 -> 64 at 16 samples (85 of its 576 tiles a
// block), 128 Ki floats ran forward + backward in 645 us natively where 24 Ki took 805 and
// 48 Ki 695; the wasm build measured the same within noise from 48 Ki to 256 Ki.
constexpr long kBlockFloats = 128 * 1024;

class WinogradConv final : public ConvAlgorithm {
 public:
  WinogradConv(const ConvGeometry& g, int oc) : g_(g), oc_(oc) {}
  const char* name() const override { return "winograd"; }
  // V, block after block (each block's (16, b, C)), then U (16, C, OC).
  long saved_floats(int n) const override { return v_floats(n) + filter_floats(); }
  // Forward: one block's M (16, b, OC). Backward: one block's dM (16, b, OC), then U^T
  // (16, OC, C) and dU (16, C, OC).
  long scratch_floats(int n) const override {
    return kP * winograd_point_stride(std::min(block(), tiles(n)), oc_) + 2 * filter_floats();
  }

  void forward(const Pass& p) const override {
    const long T = tiles(p.n);
    const float* w = p.params;
    const float* b = w + 9L * g_.C * oc_;
    float* U = p.saved + v_floats(p.n);
    float* M = p.scratch;
    const long su = winograd_point_stride(g_.C, oc_);
    winograd_filter_transform_simd(U, w, g_.C, oc_);
    for (long first = 0; first < T; first += block()) {
      const long count = std::min(block(), T - first);
      const int rows = static_cast<int>(count);
      const long sv = winograd_point_stride(count, g_.C), sm = winograd_point_stride(count, oc_);
      float* V = p.saved + block_offset(first);
      winograd_input_transform_simd(V, p.in, g_, first, count);
      for (int k = 0; k < kP; ++k)  // M[k] (b, OC) = V[k] (b, C) . U[k] (C, OC)
        gemm_f32(M + k * sm, oc_, V + k * sv, g_.C, 1, U + k * su, oc_, rows, oc_, g_.C, false);
      winograd_output_transform_simd(p.out, M, b, g_, oc_, first, count);
    }
  }

  void backward(const Pass& p) const override {
    const long T = tiles(p.n);
    const float* U = p.saved + v_floats(p.n);
    const long su = winograd_point_stride(g_.C, oc_);
    float* dM = p.scratch;
    float* UT = dM + kP * winograd_point_stride(std::min(block(), T), oc_);
    float* dU = UT + filter_floats();
    if (p.din) {
      std::fill(p.din, p.din + static_cast<long>(p.n) * g_.H * g_.W * g_.C, 0.0f);
      for (int k = 0; k < kP; ++k) transpose(UT + k * su, U + k * su, g_.C, oc_);
    }
    for (long first = 0; first < T; first += block()) {
      const long count = std::min(block(), T - first);
      const int rows = static_cast<int>(count);
      const long sv = winograd_point_stride(count, g_.C), sm = winograd_point_stride(count, oc_);
      float* V = p.saved + block_offset(first);
      winograd_output_transform_backward_simd(dM, p.dout, g_, oc_, first, count);
      if (p.grads)  // null when only the input gradient is wanted
        for (int k = 0; k < kP; ++k)  // dU[k] (C, OC) += V[k]^T . dM[k] (b, OC)
          gemm_f32(dU + k * su, oc_, V + k * sv, 1, g_.C, dM + k * sm, oc_, g_.C, oc_, rows, first > 0);
      if (!p.din) continue;
      float* dV = V;  // this block's V is no longer needed
      for (int k = 0; k < kP; ++k)  // dV[k] (b, C) = dM[k] (b, OC) . U[k]^T (OC, C)
        gemm_f32(dV + k * sv, g_.C, dM + k * sm, oc_, 1, UT + k * su, g_.C, rows, g_.C, oc_, false);
      winograd_input_transform_backward_simd(p.din, dV, g_, first, count);
    }
    if (p.grads) {
      float* dw = p.grads;
      float* db = dw + 9L * g_.C * oc_;
      winograd_filter_transform_backward_simd(dw, dU, g_.C, oc_);
      sum_rows(db, p.dout, p.n * g_.OH * g_.OW, oc_);
    }
  }

 private:
  long tiles(int n) const { return winograd_tiles(g_, n); }
  // Tiles per block: a block's V (16, b, C) and M (16, b, OC) in about kBlockFloats.
  long block() const { return std::max(8L, kBlockFloats / (kP * (g_.C + oc_))); }
  // Where the block starting at tile `first` keeps its V: every block before it is full.
  long block_offset(long first) const { return first / block() * kP * winograd_point_stride(block(), g_.C); }
  long v_floats(int n) const {
    const long T = tiles(n), full = T / block(), rest = T % block();
    return full * kP * winograd_point_stride(block(), g_.C) + (rest ? kP * winograd_point_stride(rest, g_.C) : 0);
  }
  long filter_floats() const { return kP * winograd_point_stride(g_.C, oc_); }  // U, U^T or dU
  ConvGeometry g_;
  int oc_;
};

}  // namespace

bool winograd_conv_applies(const ConvGeometry& g) { return g.KH == 3 && g.KW == 3 && g.stride == 1; }

// Measured with 16 samples (one thread's shard at batch 32 on two threads), forward + backward
// (weight and input gradients), best of 30 (native) or 10 (wasm, Node 20's V8) runs, against
// im2col + GEMM; speed-up = im2col time / Winograd time, H x W x C -> OC:
//
//   shape                   native (AVX-512)   wasm (SIMD128)
//   28x28x1 -> 32 valid          0.60x             0.40x     keras-cnn conv1
//   13x13x3 -> 32 valid          0.68x             0.43x
//   13x13x8 -> 32 valid          0.78x             1.35x
//   13x13x12 -> 32 valid         0.94x             1.63x
//   28x28x8 -> 8 same            1.14x             1.90x
//   13x13x16 -> 32 valid         1.29x             1.53x
//   13x13x32 -> 3 valid          1.66x             1.85x
//   13x13x32 -> 32 valid         1.57x             1.76x     fast conv2
//   13x13x32 -> 64 valid         1.46-1.53x        1.76-1.79x  keras-cnn conv2
//   5x5x64 -> 64 valid (3x3 out) 0.91-0.95x        1.14x     keras-cnn conv3
//   7x7x64 -> 64 valid (5x5 out) 1.21x             1.47x
//   5x5x32 -> 64 same            1.23x             1.42x
//   14x14x64 -> 64 same          1.94x             2.29x
//
// Every pass wins on its own where the whole does (13x13x32 -> 64 native: forward 1.3x, weight
// gradient 1.45x, input gradient 1.55x), so no pass falls back to im2col. The transforms run
// over a vector of channels: with fewer channels than a vector (16 floats with AVX-512, 4 in
// wasm) they run one channel at a time and lose. Natively the 2.25x fewer multiplies also
// need outputs of 4x4 or more: a 3x3 output is 4 tiles for 9 pixels (1.27x fewer multiplies),
// and there the transforms cost more than that saves; in wasm, where the GEMM is slower beside
// the transforms, it still wins.
bool winograd_conv_pays(const ConvGeometry& g, int out_channels) {
  (void)out_channels;  // from 3 to 64 it won wherever the input channels let it
  if (!winograd_conv_applies(g)) return false;
#ifdef __wasm__
  return g.C >= 8;
#else
  return g.C >= 16 && g.OH >= 4 && g.OW >= 4;
#endif
}

std::unique_ptr<ConvAlgorithm> make_winograd_conv(const ConvGeometry& g, int out_channels) {
  return std::make_unique<WinogradConv>(g, out_channels);
}

void register_winograd_conv(ConvAlgorithms& algorithms) {
  algorithms.add({"winograd", 1, winograd_conv_pays, make_winograd_conv});
}

}  // namespace dt
