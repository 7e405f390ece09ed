// Winograd F(2x2,3x3) transforms with xsimd: the matrix products of kernels/winograd.h expanded
// into their additions (B^T and A^T hold only 0 and +-1, G only 0, 1 and +-1/2), applied to a
// vector of channels at once; NHWC keeps a pixel's channels contiguous, so every load and store
// is a full vector. The channels left over after the last full vector run the same code on one
// float at a time (Lanes<float>). A tile with pixels outside the image (padding, or a window
// past an odd size's edge) takes the same path with those pixels read as zero or dropped;
// tiles wholly inside skip the checks.
#include <algorithm>

#include "kernels/simd.h"
#include "kernels/winograd.h"

namespace dt {
namespace {

constexpr int W = simd::kWidth;

// The tile functions below must be inlined into their loops, where their arrays of vectors
// become registers: GCC otherwise calls them, passing each array through the stack (and the
// transforms ran 2-3x slower).
#define DT_WINOGRAD_INLINE inline __attribute__((always_inline))

// One vector of channels (f32) or one channel (float): the code below is written once for both.
template <class V>
struct Lanes;
template <>
struct Lanes<simd::f32> {
  static simd::f32 load(const float* p) { return simd::load(p); }
  static void store(float* p, const simd::f32& v) { simd::store(p, v); }
  static simd::f32 zero() { return simd::splat(0.0f); }
  static simd::f32 half() { return simd::splat(0.5f); }
};
template <>
struct Lanes<float> {
  static float load(const float* p) { return *p; }
  static void store(float* p, float v) { *p = v; }
  static float zero() { return 0.0f; }
  static float half() { return 0.5f; }
};

// The pixels of one tile's 4x4 input window in inp (n, H, W, C) (const) or dinp (non-const):
// null where the window leaves the image.
template <class F>
struct Window {
  F* px[16];
  bool inside;  // all 16 in the image
};

template <class F>
Window<F> input_window(F* inp, const ConvGeometry& g, int s, int ty, int tx) {
  Window<F> w{{}, true};
  for (int i = 0; i < 4; ++i)
    for (int j = 0; j < 4; ++j) {
      const int y = 2 * ty - g.pad_top + i, x = 2 * tx - g.pad_left + j;
      const bool in = y >= 0 && y < g.H && x >= 0 && x < g.W;
      w.px[i * 4 + j] = in ? inp + ((static_cast<long>(s) * g.H + y) * g.W + x) * g.C : nullptr;
      w.inside = w.inside && in;
    }
  return w;
}

// v[k] = (B^T d B)[k]: columns first (t = B^T d), then rows (t B).
template <class V>
DT_WINOGRAD_INLINE void input_tile(V v[16], const V d[16]) {
  V t[16];
  for (int j = 0; j < 4; ++j) {
    t[0 + j] = d[0 + j] - d[8 + j];
    t[4 + j] = d[4 + j] + d[8 + j];
    t[8 + j] = d[8 + j] - d[4 + j];
    t[12 + j] = d[4 + j] - d[12 + j];
  }
  for (int i = 0; i < 16; i += 4) {
    v[i + 0] = t[i + 0] - t[i + 2];
    v[i + 1] = t[i + 1] + t[i + 2];
    v[i + 2] = t[i + 2] - t[i + 1];
    v[i + 3] = t[i + 1] - t[i + 3];
  }
}

// d[k] = (B v B^T)[k], the adjoint of input_tile: B = (B^T)^T has rows (1,0,0,0), (0,1,-1,1),
// (-1,1,1,0), (0,0,0,-1).
template <class V>
DT_WINOGRAD_INLINE void input_tile_adjoint(V d[16], const V v[16]) {
  V t[16];
  for (int j = 0; j < 4; ++j) {
    t[0 + j] = v[0 + j];
    t[4 + j] = v[4 + j] - v[8 + j] + v[12 + j];
    t[8 + j] = v[8 + j] + v[4 + j] - v[0 + j];
    t[12 + j] = -v[12 + j];
  }
  for (int i = 0; i < 16; i += 4) {
    d[i + 0] = t[i + 0];
    d[i + 1] = t[i + 1] - t[i + 2] + t[i + 3];
    d[i + 2] = t[i + 2] + t[i + 1] - t[i + 0];
    d[i + 3] = -t[i + 3];
  }
}

// u (4x4) = G f G^T for a 3x3 f, G's rows (1,0,0), (1/2,1/2,1/2), (1/2,-1/2,1/2), (0,0,1).
template <class V>
DT_WINOGRAD_INLINE void filter_tile(V u[16], const V f[9]) {
  using L = Lanes<V>;
  const V h = L::half();
  V t[12];  // G f (4x3)
  for (int j = 0; j < 3; ++j) {
    const V even = (f[0 + j] + f[6 + j]) * h, odd = f[3 + j] * h;
    t[0 + j] = f[0 + j];
    t[3 + j] = even + odd;
    t[6 + j] = even - odd;
    t[9 + j] = f[6 + j];
  }
  for (int i = 0; i < 4; ++i) {
    const V even = (t[3 * i + 0] + t[3 * i + 2]) * h, odd = t[3 * i + 1] * h;
    u[4 * i + 0] = t[3 * i + 0];
    u[4 * i + 1] = even + odd;
    u[4 * i + 2] = even - odd;
    u[4 * i + 3] = t[3 * i + 2];
  }
}

// f (3x3) = G^T u G, the adjoint of filter_tile.
template <class V>
DT_WINOGRAD_INLINE void filter_tile_adjoint(V f[9], const V u[16]) {
  using L = Lanes<V>;
  const V h = L::half();
  V t[12];  // G^T u (3x4)
  for (int j = 0; j < 4; ++j) {
    const V sum = (u[4 + j] + u[8 + j]) * h;
    t[0 + j] = u[0 + j] + sum;
    t[4 + j] = (u[4 + j] - u[8 + j]) * h;
    t[8 + j] = sum + u[12 + j];
  }
  for (int i = 0; i < 3; ++i) {
    const V sum = (t[4 * i + 1] + t[4 * i + 2]) * h;
    f[3 * i + 0] = t[4 * i + 0] + sum;
    f[3 * i + 1] = (t[4 * i + 1] - t[4 * i + 2]) * h;
    f[3 * i + 2] = sum + t[4 * i + 3];
  }
}

// y (2x2) = A^T m A, A^T's rows (1,1,1,0), (0,1,-1,-1).
template <class V>
DT_WINOGRAD_INLINE void output_tile(V y[4], const V m[16]) {
  V t[8];  // A^T m (2x4)
  for (int j = 0; j < 4; ++j) {
    t[0 + j] = m[0 + j] + m[4 + j] + m[8 + j];
    t[4 + j] = m[4 + j] - m[8 + j] - m[12 + j];
  }
  for (int i = 0; i < 2; ++i) {
    y[2 * i + 0] = t[4 * i + 0] + t[4 * i + 1] + t[4 * i + 2];
    y[2 * i + 1] = t[4 * i + 1] - t[4 * i + 2] - t[4 * i + 3];
  }
}

// m (4x4) = A y A^T, the adjoint of output_tile.
template <class V>
DT_WINOGRAD_INLINE void output_tile_adjoint(V m[16], const V y[4]) {
  V t[8];  // A y (4x2)
  for (int j = 0; j < 2; ++j) {
    t[0 + j] = y[0 + j];
    t[2 + j] = y[0 + j] + y[2 + j];
    t[4 + j] = y[0 + j] - y[2 + j];
    t[6 + j] = -y[2 + j];
  }
  for (int i = 0; i < 4; ++i) {
    m[4 * i + 0] = t[2 * i + 0];
    m[4 * i + 1] = t[2 * i + 0] + t[2 * i + 1];
    m[4 * i + 2] = t[2 * i + 0] - t[2 * i + 1];
    m[4 * i + 3] = -t[2 * i + 1];
  }
}

// Calls fn(s, ty, tx, t) for tiles first .. first + count - 1: sample, tile row and column, and
// t counted from first (the tile's row in the block's matrices).
template <class Fn>
void for_each_tile(const ConvGeometry& g, long first, long count, const Fn& fn) {
  const int TH = (g.OH + 1) / 2, TW = (g.OW + 1) / 2;
  int s = static_cast<int>(first / (TH * TW)), ty = static_cast<int>(first % (TH * TW) / TW),
      tx = static_cast<int>(first % TW);
  for (long t = 0; t < count; ++t) {
    fn(s, ty, tx, t);
    if (++tx == TW) {
      tx = 0;
      if (++ty == TH) ty = 0, ++s;
    }
  }
}

// One tile's transforms over a vector of channels at c (V = f32) or one channel (V = float).
// Everything arrives by value: the SIMD stores may alias any memory, so a pointer or stride
// read through a reference would be read again after every store.
template <class V, bool kInside>
DT_WINOGRAD_INLINE void input_lanes(float* v, long stride, const float* const* px, int c) {
  using L = Lanes<V>;
  V d[16], r[16];
  for (int k = 0; k < 16; ++k) d[k] = kInside || px[k] ? L::load(px[k] + c) : L::zero();
  input_tile(r, d);
  for (int k = 0; k < 16; ++k) L::store(v + k * stride + c, r[k]);
}

template <class V, bool kInside>
DT_WINOGRAD_INLINE void input_adjoint_lanes(float* const* px, const float* v, long stride, int c) {
  using L = Lanes<V>;
  V r[16], d[16];
  for (int k = 0; k < 16; ++k) r[k] = L::load(v + k * stride + c);
  input_tile_adjoint(d, r);
  for (int k = 0; k < 16; ++k)
    if (kInside || px[k]) L::store(px[k] + c, L::load(px[k] + c) + d[k]);
}

template <class V>
DT_WINOGRAD_INLINE void filter_lanes(float* U, long stride, const float* w, long tap, long at) {
  using L = Lanes<V>;
  V f[9], u[16];
  for (int k = 0; k < 9; ++k) f[k] = L::load(w + k * tap + at);
  filter_tile(u, f);
  for (int k = 0; k < 16; ++k) L::store(U + k * stride + at, u[k]);
}

template <class V>
DT_WINOGRAD_INLINE void filter_adjoint_lanes(float* dw, long tap, const float* dU, long stride, long at) {
  using L = Lanes<V>;
  V u[16], f[9];
  for (int k = 0; k < 16; ++k) u[k] = L::load(dU + k * stride + at);
  filter_tile_adjoint(f, u);
  for (int k = 0; k < 9; ++k) L::store(dw + k * tap + at, L::load(dw + k * tap + at) + f[k]);
}

// o: the tile's top-left output pixel, row: floats between output rows; rows and cols (1 or 2)
// of the 2x2 outputs lie inside the image (kFull: all four).
template <class V, bool kFull>
DT_WINOGRAD_INLINE void output_lanes(float* o, long row, int OC, int rows, int cols, const float* m, long stride,
                         const float* bias, int oc) {
  using L = Lanes<V>;
  V x[16], y[4];
  for (int k = 0; k < 16; ++k) x[k] = L::load(m + k * stride + oc);
  output_tile(y, x);
  const V b = L::load(bias + oc);
  if (kFull) {
    L::store(o + oc, y[0] + b);
    L::store(o + OC + oc, y[1] + b);
    L::store(o + row + oc, y[2] + b);
    L::store(o + row + OC + oc, y[3] + b);
  } else {
    for (int i = 0; i < rows; ++i)
      for (int j = 0; j < cols; ++j) L::store(o + i * row + j * OC + oc, y[2 * i + j] + b);
  }
}

template <class V, bool kFull>
DT_WINOGRAD_INLINE void output_adjoint_lanes(float* m, long stride, const float* o, long row, int OC, int rows, int cols,
                                             int oc) {
  using L = Lanes<V>;
  V y[4], x[16];
  for (int i = 0; i < 2; ++i)
    for (int j = 0; j < 2; ++j)
      y[2 * i + j] = kFull || (i < rows && j < cols) ? L::load(o + i * row + j * OC + oc) : L::zero();
  output_tile_adjoint(x, y);
  for (int k = 0; k < 16; ++k) L::store(m + k * stride + oc, x[k]);
}

// The channels of one tile: full vectors, then one at a time.
template <bool kInside>
void input_channels(float* v, long stride, const float* const* px, int C) {
  int c = 0;
  for (; c + W <= C; c += W) input_lanes<simd::f32, kInside>(v, stride, px, c);
  for (; c < C; ++c) input_lanes<float, kInside>(v, stride, px, c);
}

template <bool kInside>
void input_adjoint_channels(float* const* px, const float* v, long stride, int C) {
  int c = 0;
  for (; c + W <= C; c += W) input_adjoint_lanes<simd::f32, kInside>(px, v, stride, c);
  for (; c < C; ++c) input_adjoint_lanes<float, kInside>(px, v, stride, c);
}

template <bool kFull>
void output_channels(float* o, long row, int OC, int rows, int cols, const float* m, long stride, const float* bias) {
  int oc = 0;
  for (; oc + W <= OC; oc += W) output_lanes<simd::f32, kFull>(o, row, OC, rows, cols, m, stride, bias, oc);
  for (; oc < OC; ++oc) output_lanes<float, kFull>(o, row, OC, rows, cols, m, stride, bias, oc);
}

template <bool kFull>
void output_adjoint_channels(float* m, long stride, const float* o, long row, int OC, int rows, int cols) {
  int oc = 0;
  for (; oc + W <= OC; oc += W) output_adjoint_lanes<simd::f32, kFull>(m, stride, o, row, OC, rows, cols, oc);
  for (; oc < OC; ++oc) output_adjoint_lanes<float, kFull>(m, stride, o, row, OC, rows, cols, oc);
}

}  // namespace

void winograd_input_transform_simd(float* V, const float* inp, const ConvGeometry& g, long first, long count) {
  const long stride = winograd_point_stride(count, g.C);  // between the 16 matrices
  for_each_tile(g, first, count, [&](int s, int ty, int tx, long t) {
    const Window<const float> w = input_window(inp, g, s, ty, tx);
    if (w.inside)
      input_channels<true>(V + t * g.C, stride, w.px, g.C);
    else
      input_channels<false>(V + t * g.C, stride, w.px, g.C);
  });
}

void winograd_input_transform_backward_simd(float* dinp, const float* dV, const ConvGeometry& g, long first,
                                            long count) {
  const long stride = winograd_point_stride(count, g.C);
  for_each_tile(g, first, count, [&](int s, int ty, int tx, long t) {
    const Window<float> w = input_window(dinp, g, s, ty, tx);
    if (w.inside)
      input_adjoint_channels<true>(w.px, dV + t * g.C, stride, g.C);
    else
      input_adjoint_channels<false>(w.px, dV + t * g.C, stride, g.C);
  });
}

void winograd_filter_transform_simd(float* U, const float* w, int C, int OC) {
  const long tap = static_cast<long>(C) * OC, stride = winograd_point_stride(C, OC);  // between taps, points
  for (int c = 0; c < C; ++c) {
    const long at = static_cast<long>(c) * OC;
    int oc = 0;
    for (; oc + W <= OC; oc += W) filter_lanes<simd::f32>(U, stride, w, tap, at + oc);
    for (; oc < OC; ++oc) filter_lanes<float>(U, stride, w, tap, at + oc);
  }
}

void winograd_filter_transform_backward_simd(float* dw, const float* dU, int C, int OC) {
  const long tap = static_cast<long>(C) * OC, stride = winograd_point_stride(C, OC);
  for (int c = 0; c < C; ++c) {
    const long at = static_cast<long>(c) * OC;
    int oc = 0;
    for (; oc + W <= OC; oc += W) filter_adjoint_lanes<simd::f32>(dw, tap, dU, stride, at + oc);
    for (; oc < OC; ++oc) filter_adjoint_lanes<float>(dw, tap, dU, stride, at + oc);
  }
}

void winograd_output_transform_simd(float* out, const float* M, const float* bias, const ConvGeometry& g, int OC,
                                    long first, long count) {
  const long stride = winograd_point_stride(count, OC), row = static_cast<long>(g.OW) * OC;
  for_each_tile(g, first, count, [&](int s, int ty, int tx, long t) {
    const int rows = std::min(2, g.OH - 2 * ty), cols = std::min(2, g.OW - 2 * tx);
    float* o = out + ((static_cast<long>(s) * g.OH + 2 * ty) * g.OW + 2 * tx) * OC;
    if (rows == 2 && cols == 2)
      output_channels<true>(o, row, OC, rows, cols, M + t * OC, stride, bias);
    else
      output_channels<false>(o, row, OC, rows, cols, M + t * OC, stride, bias);
  });
}

void winograd_output_transform_backward_simd(float* dM, const float* dout, const ConvGeometry& g, int OC, long first,
                                             long count) {
  const long stride = winograd_point_stride(count, OC), row = static_cast<long>(g.OW) * OC;
  for_each_tile(g, first, count, [&](int s, int ty, int tx, long t) {
    const int rows = std::min(2, g.OH - 2 * ty), cols = std::min(2, g.OW - 2 * tx);
    const float* o = dout + ((static_cast<long>(s) * g.OH + 2 * ty) * g.OW + 2 * tx) * OC;
    if (rows == 2 && cols == 2)
      output_adjoint_channels<true>(dM + t * OC, stride, o, row, OC, rows, cols);
    else
      output_adjoint_channels<false>(dM + t * OC, stride, o, row, OC, rows, cols);
  });
}

}  // namespace dt
