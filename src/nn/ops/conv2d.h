// conv2d, reference implementation: direct loops, NHWC activations, HWIO weights.
// Templated on the scalar so the gradient checks can run it in double precision; the engine's
// fast path (im2col + SIMD GEMM, nn/layers/conv2d_layer.cpp) is tested against it.
#pragma once
#include "kernels/im2col.h"  // ConvGeometry

namespace dt {

// out (N,OH,OW,OC) = inp (N,H,W,C) (*) w (KH,KW,C,OC) + b (OC)
template <class T>
void conv2d_forward_ref(T* out, const T* inp, const T* w, const T* b, const ConvGeometry& g, int OC, int N) {
  for (int n = 0; n < N; ++n)
    for (int oy = 0; oy < g.OH; ++oy)
      for (int ox = 0; ox < g.OW; ++ox) {
        T* o = out + ((static_cast<long>(n) * g.OH + oy) * g.OW + ox) * OC;
        for (int oc = 0; oc < OC; ++oc) o[oc] = b[oc];
        for (int ky = 0; ky < g.KH; ++ky) {
          const int iy = oy * g.stride + ky - g.pad_top;
          if (iy < 0 || iy >= g.H) continue;
          for (int kx = 0; kx < g.KW; ++kx) {
            const int ix = ox * g.stride + kx - g.pad_left;
            if (ix < 0 || ix >= g.W) continue;
            const T* x = inp + ((static_cast<long>(n) * g.H + iy) * g.W + ix) * g.C;
            const T* wk = w + (static_cast<long>(ky) * g.KW + kx) * g.C * OC;
            for (int c = 0; c < g.C; ++c)
              for (int oc = 0; oc < OC; ++oc) o[oc] += x[c] * wk[static_cast<long>(c) * OC + oc];
          }
        }
      }
}

// dinp (N,H,W,C) = conv2d's input gradient (overwritten; skipped when dinp is null),
// dw (KH,KW,C,OC) += , db (OC) += ; from dout (N,OH,OW,OC) and the forward's inp and w.
template <class T>
void conv2d_backward_ref(T* dinp, T* dw, T* db, const T* dout, const T* inp, const T* w, const ConvGeometry& g,
                         int OC, int N) {
  if (dinp)
    for (long i = 0; i < static_cast<long>(N) * g.H * g.W * g.C; ++i) dinp[i] = T(0);
  for (int n = 0; n < N; ++n)
    for (int oy = 0; oy < g.OH; ++oy)
      for (int ox = 0; ox < g.OW; ++ox) {
        const T* d = dout + ((static_cast<long>(n) * g.OH + oy) * g.OW + ox) * OC;
        for (int oc = 0; oc < OC; ++oc) db[oc] += d[oc];
        for (int ky = 0; ky < g.KH; ++ky) {
          const int iy = oy * g.stride + ky - g.pad_top;
          if (iy < 0 || iy >= g.H) continue;
          for (int kx = 0; kx < g.KW; ++kx) {
            const int ix = ox * g.stride + kx - g.pad_left;
            if (ix < 0 || ix >= g.W) continue;
            const long xoff = ((static_cast<long>(n) * g.H + iy) * g.W + ix) * g.C;
            const long woff = (static_cast<long>(ky) * g.KW + kx) * g.C * OC;
            for (int c = 0; c < g.C; ++c) {
              T acc = T(0);
              for (int oc = 0; oc < OC; ++oc) {
                dw[woff + static_cast<long>(c) * OC + oc] += inp[xoff + c] * d[oc];
                acc += w[woff + static_cast<long>(c) * OC + oc] * d[oc];
              }
              if (dinp) dinp[xoff + c] += acc;
            }
          }
        }
      }
}

}  // namespace dt
