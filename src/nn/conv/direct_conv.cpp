// conv2d of a one-channel input, computed directly (kernels/direct_conv.h):
//   forward:  out = b + x (*) w, from the input itself ('valid') or from a zero-bordered copy
//             of it (padded; the copy is saved for the backward)
//   backward: dW += x (*) dout and db += sum(dout) in one pass; din (when asked for: a first
//             layer's is not, attribution's is) = the taps' dout . w back at their pixels,
//             on a padded plane first when the input was padded, then cropped
#include "nn/conv/direct_conv.h"

#include <algorithm>
#include <cstring>

#include "kernels/direct_conv.h"
#include "kernels/simd.h"

namespace dt {
namespace {

class DirectConv final : public ConvAlgorithm {
 public:
  DirectConv(const ConvGeometry& g, int oc) : g_(g), oc_(oc) {
    // The plane the outputs read: (OH - 1) * stride + KH rows from the top padding on.
    const int rows = (g.OH - 1) * g.stride + g.KH, cols = (g.OW - 1) * g.stride + g.KW;
    padded_ = g.pad_top > 0 || g.pad_left > 0 || rows > g.H || cols > g.W;
    plane_ = padded_ ? PlaneConv{rows, cols, g.KH, g.KW, g.stride, g.OH, g.OW, oc}
                     : PlaneConv{g.H, g.W, g.KH, g.KW, g.stride, g.OH, g.OW, oc};
  }
  const char* name() const override { return "direct"; }
  // The padded input (n, XH, XW), when there is padding.
  long saved_floats(int n) const override { return padded_ ? n * plane_.plane() : 0; }
  // The input gradient on the padded plane, when there is padding.
  long scratch_floats(int n) const override { return padded_ ? n * plane_.plane() : 0; }

  void forward(const Pass& p) const override {
    const float* w = p.params;
    const float* b = w + static_cast<long>(g_.patch()) * oc_;
    direct_conv_forward_simd(p.out, plane(p), w, b, plane_, p.n);
  }

  void backward(const Pass& p) const override {
    const float* x = padded_ ? p.saved : p.in;  // the forward's plane
    if (p.grads) {  // null when only the input gradient is wanted
      float* dw = p.grads;
      direct_conv_backward_weights_simd(dw, dw + static_cast<long>(g_.patch()) * oc_, p.dout, x, plane_, p.n);
    }
    if (!p.din) return;
    float* dx = padded_ ? p.scratch : p.din;
    std::fill(dx, dx + p.n * plane_.plane(), 0.0f);
    direct_conv_backward_input_simd(dx, p.dout, p.params, plane_, p.n);
    if (!padded_) return;
    // Crop: pixels the outputs never read (past a 'valid' stride's last window) get no gradient.
    std::fill(p.din, p.din + static_cast<long>(p.n) * g_.H * g_.W, 0.0f);
    for_each_row_in_plane(p.n, [&](long image, long plane, int count) {
      std::memcpy(p.din + image, dx + plane, sizeof(float) * count);
    });
  }

 private:
  // The plane the kernels read: the input itself, or its zero-bordered copy in p.saved.
  const float* plane(const Pass& p) const {
    if (!padded_) return p.in;
    float* xp = p.saved;
    std::fill(xp, xp + p.n * plane_.plane(), 0.0f);
    for_each_row_in_plane(p.n, [&](long image, long plane, int count) {
      std::memcpy(xp + plane, p.in + image, sizeof(float) * count);
    });
    return xp;
  }

  // Calls fn(image offset, plane offset, count) for each image row's run of pixels inside the
  // padded plane: input pixel (y, x) is the plane's (y + pad_top, x + pad_left), and pixels
  // past the plane (a 'valid' stride's last window never reads them) are left out.
  template <class Fn>
  void for_each_row_in_plane(int n, Fn&& fn) const {
    const int x0 = std::max(0, -g_.pad_left), x1 = std::min(g_.W, plane_.XW - g_.pad_left);
    if (x1 <= x0) return;
    for (int s = 0; s < n; ++s)
      for (int y = 0; y < g_.H; ++y) {
        const int py = y + g_.pad_top;
        if (py >= plane_.XH) break;
        const long image = (static_cast<long>(s) * g_.H + y) * g_.W + x0;
        fn(image, s * plane_.plane() + static_cast<long>(py) * plane_.XW + x0 + g_.pad_left, x1 - x0);
      }
  }

  ConvGeometry g_;
  int oc_;
  bool padded_;
  PlaneConv plane_;
};

}  // namespace

bool direct_conv_applies(const ConvGeometry& g) { return g.C == 1; }

// Measured with 16 samples (one thread's shard at batch 32 on two threads), forward +
// backward without the input gradient (a first layer's), best of 30 runs, against
// im2col + GEMM; speed-up = im2col time / direct time, 28x28x1 -> OC unless said:
//
//   shape                   native (AVX-512)   wasm (SIMD128, Node 20)
//   -> 32 3x3 valid              2.5x               1.4x        keras-cnn, fast
//   -> 32 5x5 valid              2.1x               1.4x        best
//   -> 32 5x5 same               2.1x               1.4x        torch-lenet
//   -> 16, -> 64 3x3 valid       2.5x, 1.7x         1.8x, 1.25x
//   -> 8, -> 4 3x3 valid         0.24x, 0.33x       1.65x, 1.8x
//   14x14x1 -> 24 3x3 same       0.31x              1.25x
//
// In headless Chromium 156 (the kernel bench's rows), 3x3 valid ran 2.1x faster forward and
// 1.2x backward, 5x5 same 2.0x and 1.1x.
// Channels after the last full vector (all of them when OC is below the vector width, 16
// floats natively, 4 in wasm) run a scalar loop and lose; whole vectors win everywhere.
bool direct_conv_pays(const ConvGeometry& g, int out_channels) {
  return direct_conv_applies(g) && out_channels % simd::kWidth == 0;
}

std::unique_ptr<ConvAlgorithm> make_direct_conv(const ConvGeometry& g, int out_channels) {
  return std::make_unique<DirectConv>(g, out_channels);
}

void register_direct_conv(ConvAlgorithms& algorithms) {
  algorithms.add({"direct", 2, direct_conv_pays, make_direct_conv});
}

}  // namespace dt
