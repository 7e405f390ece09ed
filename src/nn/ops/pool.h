// Max and average pooling over NHWC, 'valid' windows (output = floor((H - P) / S) + 1, as
// Keras' MaxPooling2D). Max pooling remembers the winning input index per output so the
// backward routes the gradient without searching again.
#pragma once
#include <cstdint>

#include "kernels/pool.h"  // PoolGeometry

namespace dt {

// out (N,OH,OW,C), argmax (N,OH,OW,C) flat input indices within one sample.
template <class T>
void maxpool_forward_ref(T* out, int32_t* argmax, const T* inp, const PoolGeometry& g, int N) {
  for (int n = 0; n < N; ++n) {
    const T* x = inp + static_cast<long>(n) * g.H * g.W * g.C;
    for (int oy = 0; oy < g.OH; ++oy)
      for (int ox = 0; ox < g.OW; ++ox)
        for (int c = 0; c < g.C; ++c) {
          int best = ((oy * g.stride) * g.W + ox * g.stride) * g.C + c;
          for (int ky = 0; ky < g.size; ++ky)
            for (int kx = 0; kx < g.size; ++kx) {
              const int idx = ((oy * g.stride + ky) * g.W + ox * g.stride + kx) * g.C + c;
              if (x[idx] > x[best]) best = idx;
            }
          const long o = ((static_cast<long>(n) * g.OH + oy) * g.OW + ox) * g.C + c;
          out[o] = x[best];
          argmax[o] = best;
        }
  }
}

// dinp (N,H,W,C) overwritten from dout (N,OH,OW,C) through argmax.
template <class T>
void maxpool_backward_ref(T* dinp, const T* dout, const int32_t* argmax, const PoolGeometry& g, int N) {
  const long in_size = static_cast<long>(g.H) * g.W * g.C;
  const long out_size = static_cast<long>(g.OH) * g.OW * g.C;
  for (long i = 0; i < N * in_size; ++i) dinp[i] = T(0);
  for (int n = 0; n < N; ++n)
    for (long o = 0; o < out_size; ++o) dinp[n * in_size + argmax[n * out_size + o]] += dout[n * out_size + o];
}

template <class T>
void avgpool_forward_ref(T* out, const T* inp, const PoolGeometry& g, int N) {
  const T scale = T(1) / T(g.size * g.size);
  for (int n = 0; n < N; ++n) {
    const T* x = inp + static_cast<long>(n) * g.H * g.W * g.C;
    for (int oy = 0; oy < g.OH; ++oy)
      for (int ox = 0; ox < g.OW; ++ox)
        for (int c = 0; c < g.C; ++c) {
          T acc = T(0);
          for (int ky = 0; ky < g.size; ++ky)
            for (int kx = 0; kx < g.size; ++kx) acc += x[((oy * g.stride + ky) * g.W + ox * g.stride + kx) * g.C + c];
          out[((static_cast<long>(n) * g.OH + oy) * g.OW + ox) * g.C + c] = acc * scale;
        }
  }
}

template <class T>
void avgpool_backward_ref(T* dinp, const T* dout, const PoolGeometry& g, int N) {
  const T scale = T(1) / T(g.size * g.size);
  for (long i = 0; i < static_cast<long>(N) * g.H * g.W * g.C; ++i) dinp[i] = T(0);
  for (int n = 0; n < N; ++n) {
    T* dx = dinp + static_cast<long>(n) * g.H * g.W * g.C;
    for (int oy = 0; oy < g.OH; ++oy)
      for (int ox = 0; ox < g.OW; ++ox)
        for (int c = 0; c < g.C; ++c) {
          const T d = dout[((static_cast<long>(n) * g.OH + oy) * g.OW + ox) * g.C + c] * scale;
          for (int ky = 0; ky < g.size; ++ky)
            for (int kx = 0; kx < g.size; ++kx) dx[((oy * g.stride + ky) * g.W + ox * g.stride + kx) * g.C + c] += d;
        }
  }
}

}  // namespace dt
