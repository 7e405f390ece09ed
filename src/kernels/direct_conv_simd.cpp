// Direct one-channel convolution with xsimd (kernels/direct_conv.h): output channels along the
// lanes, register tiles as in the GEMM (kernels/gemm_simd.cpp), the image read in place of
// the GEMM's A matrix so that no im2col matrix is built.
//   forward: a tile of R output pixels of a row by NV vectors of channels stays in registers
//     over all KH*KW taps (one vector load of w[k] serves the R pixels, one broadcast of x
//     serves the NV vectors); it starts from the bias.
//   weight gradient: a block of T taps by NV vectors of dw (and NV of db) stays in registers
//     for a whole pass over the pixels; taps are cut into as few blocks as the registers allow.
//   input gradient (only asked for by attribution, never by training's first layer): one dot
//     product over the channels per pixel and tap, plainly.
// Tile sizes are the register file's: AVX-512 has 32 vectors; WebAssembly has x86's 16, one
// kept by V8 as scratch, and no fused multiply-add (each product needs a temporary).
// Channels left over after the last full vector run a scalar loop.
#include <algorithm>
#include <array>
#include <utility>

#include "kernels/direct_conv.h"
#include "kernels/simd.h"

namespace dt {
namespace {

using simd::f32;
constexpr int W = simd::kWidth;

// Measured on 16 samples of 28x28 -> 32 (3x3 'valid', 5x5 'valid' and 'same'). Natively R = 6
// ran the forward about 5% faster than 8 or 12 (26 outputs a row: 4 tiles of 6 and one of 2)
// and 4 about 30% slower. In wasm 2 x 4 was best for the forward (4 x 2 equal on 3x3, 3 x 4
// spilled: 1.45x slower on 5x5). The weight gradient's best tile differs between V8s: in
// headless Chromium 156 (the page's), 4 taps x 2 vectors ran 3x3 at 42 GFLOP/s where 9 x 1
// (a broadcast x loaded for every 2 floating-point operations) ran 38, 3 x 3 40 and 5 x 2 35;
// under Node 20, 5 x 2 was best and 9 x 1 1.5x slower. The page decides.
#ifdef __wasm__
constexpr int kFwdR = 2, kFwdNV = 4;  // 8 accumulators + 4 weights + x + product
constexpr int kGradT = 4, kGradNV = 2;  // 8 + 2 bias accumulators + 2 dout + x + product
#else
constexpr int kFwdR = W >= 16 ? 6 : 4;  // AVX-512: 12 accumulators + 2 weights + x
constexpr int kFwdNV = 2;
constexpr int kGradT = W >= 16 ? 12 : 5;  // AVX-512: 24 + 2 bias accumulators + 2 dout + x
constexpr int kGradNV = 2;
#endif

// R pixels of one output row (out advancing OC floats a pixel, x `stride` floats) by NV vectors
// of channels: out, w and b already point at the tile's first channel.
template <int R, int NV>
void forward_tile(float* out, const float* x, const float* w, const float* b, const PlaneConv& g) {
  f32 acc[R][NV];
  for (int v = 0; v < NV; ++v) {
    const f32 bias = simd::load(b + v * W);
    for (int r = 0; r < R; ++r) acc[r][v] = bias;
  }
  for (int ky = 0; ky < g.KH; ++ky) {
    const float* xr = x + static_cast<long>(ky) * g.XW;
    const float* wr = w + static_cast<long>(ky) * g.KW * g.OC;
    for (int kx = 0; kx < g.KW; ++kx) {
      f32 wv[NV];
      for (int v = 0; v < NV; ++v) wv[v] = simd::load(wr + static_cast<long>(kx) * g.OC + v * W);
      for (int r = 0; r < R; ++r) {
        const f32 a = simd::splat(xr[r * g.stride + kx]);
        for (int v = 0; v < NV; ++v) acc[r][v] = xsimd::fma(a, wv[v], acc[r][v]);
      }
    }
  }
  for (int r = 0; r < R; ++r)
    for (int v = 0; v < NV; ++v) simd::store(out + static_cast<long>(r) * g.OC + v * W, acc[r][v]);
}

// T taps (their offsets in the window: `taps`) by NV vectors of channels, over every pixel: dw
// rows for those taps (OC floats apart) and, when Bias, db, all from the tile's first channel.
template <int T, int NV, bool Bias>
void weights_block(float* dw, float* db, const float* dout, const float* x, const long* taps, const PlaneConv& g,
                   int n) {
  f32 acc[T][NV], bacc[NV];
  for (int v = 0; v < NV; ++v) {
    bacc[v] = simd::splat(0.0f);
    for (int t = 0; t < T; ++t) acc[t][v] = simd::splat(0.0f);
  }
  long t_off[T];
  for (int t = 0; t < T; ++t) t_off[t] = taps[t];
  for (int s = 0; s < n; ++s)
    for (int oy = 0; oy < g.OH; ++oy) {
      const float* xr = x + s * g.plane() + static_cast<long>(oy) * g.stride * g.XW;
      const float* d = dout + (static_cast<long>(s) * g.OH + oy) * g.OW * g.OC;
      for (int ox = 0; ox < g.OW; ++ox, xr += g.stride, d += g.OC) {
        f32 dv[NV];
        for (int v = 0; v < NV; ++v) dv[v] = simd::load(d + v * W);
        if (Bias)
          for (int v = 0; v < NV; ++v) bacc[v] += dv[v];
        for (int t = 0; t < T; ++t) {
          const f32 a = simd::splat(xr[t_off[t]]);
          for (int v = 0; v < NV; ++v) acc[t][v] = xsimd::fma(a, dv[v], acc[t][v]);
        }
      }
    }
  for (int t = 0; t < T; ++t)
    for (int v = 0; v < NV; ++v) {
      float* p = dw + static_cast<long>(t) * g.OC + v * W;
      simd::store(p, simd::load(p) + acc[t][v]);
    }
  if (Bias)
    for (int v = 0; v < NV; ++v) simd::store(db + v * W, simd::load(db + v * W) + bacc[v]);
}

using ForwardFn = void (*)(float*, const float*, const float*, const float*, const PlaneConv&);
using WeightsFn = void (*)(float*, float*, const float*, const float*, const long*, const PlaneConv&, int);

// kForward[r-1][nv-1], kWeights[bias][t-1][nv-1]: the tiles of every size up to the largest.
template <int R, int... NVs>
constexpr auto forward_row(std::integer_sequence<int, NVs...>) {
  return std::array<ForwardFn, sizeof...(NVs)>{&forward_tile<R, NVs + 1>...};
}
template <int... Rs>
constexpr auto forward_table(std::integer_sequence<int, Rs...>) {
  return std::array<std::array<ForwardFn, kFwdNV>, sizeof...(Rs)>{
      forward_row<Rs + 1>(std::make_integer_sequence<int, kFwdNV>{})...};
}
const auto kForward = forward_table(std::make_integer_sequence<int, kFwdR>{});

template <bool Bias, int T, int... NVs>
constexpr auto weights_row(std::integer_sequence<int, NVs...>) {
  return std::array<WeightsFn, sizeof...(NVs)>{&weights_block<T, NVs + 1, Bias>...};
}
template <bool Bias, int... Ts>
constexpr auto weights_table(std::integer_sequence<int, Ts...>) {
  return std::array<std::array<WeightsFn, kGradNV>, sizeof...(Ts)>{
      weights_row<Bias, Ts + 1>(std::make_integer_sequence<int, kGradNV>{})...};
}
const std::array<std::array<std::array<WeightsFn, kGradNV>, kGradT>, 2> kWeights = {
    weights_table<false>(std::make_integer_sequence<int, kGradT>{}),
    weights_table<true>(std::make_integer_sequence<int, kGradT>{})};

long tap_offset(const PlaneConv& g, int k) { return static_cast<long>(k / g.KW) * g.XW + k % g.KW; }

}  // namespace

void direct_conv_forward_simd(float* out, const float* x, const float* w, const float* b, const PlaneConv& g, int n) {
  const int n_vec = g.OC / W, full = n_vec * W;
  for (int s = 0; s < n; ++s)
    for (int oy = 0; oy < g.OH; ++oy) {
      const float* xr = x + s * g.plane() + static_cast<long>(oy) * g.stride * g.XW;
      float* o = out + (static_cast<long>(s) * g.OH + oy) * g.OW * g.OC;
      for (int ox = 0; ox < g.OW; ox += kFwdR) {
        const int r = std::min(kFwdR, g.OW - ox);
        const float* xt = xr + static_cast<long>(ox) * g.stride;
        float* ot = o + static_cast<long>(ox) * g.OC;
        for (int jv = 0; jv < n_vec; jv += kFwdNV) {
          const int nv = std::min(kFwdNV, n_vec - jv);
          kForward[r - 1][nv - 1](ot + jv * W, xt, w + jv * W, b + jv * W, g);
        }
        for (int i = 0; i < r; ++i)  // channels after the last full vector
          for (int oc = full; oc < g.OC; ++oc) {
            float sum = b[oc];
            for (int ky = 0; ky < g.KH; ++ky)
              for (int kx = 0; kx < g.KW; ++kx)
                sum += xt[static_cast<long>(ky) * g.XW + i * g.stride + kx] * w[(ky * g.KW + kx) * g.OC + oc];
            ot[static_cast<long>(i) * g.OC + oc] = sum;
          }
      }
    }
}

void direct_conv_backward_weights_simd(float* dw, float* db, const float* dout, const float* x, const PlaneConv& g,
                                       int n) {
  const int P = g.KH * g.KW, n_vec = g.OC / W, full = n_vec * W;
  // Taps in as few blocks as the accumulators allow, of even sizes (25 taps: 9, 8, 8).
  const int blocks = (P + kGradT - 1) / kGradT, per_block = (P + blocks - 1) / blocks;
  long taps[kGradT];
  for (int jv = 0; jv < n_vec; jv += kGradNV) {
    const int nv = std::min(kGradNV, n_vec - jv);
    for (int k0 = 0; k0 < P; k0 += per_block) {
      const int t = std::min(per_block, P - k0);
      for (int i = 0; i < t; ++i) taps[i] = tap_offset(g, k0 + i);
      kWeights[k0 == 0][t - 1][nv - 1](dw + static_cast<long>(k0) * g.OC + jv * W, db + jv * W, dout + jv * W, x, taps,
                                        g, n);
    }
  }
  if (full == g.OC) return;
  for (int s = 0; s < n; ++s)  // channels after the last full vector
    for (int oy = 0; oy < g.OH; ++oy)
      for (int ox = 0; ox < g.OW; ++ox) {
        const float* d = dout + ((static_cast<long>(s) * g.OH + oy) * g.OW + ox) * g.OC;
        const float* xw = x + s * g.plane() + static_cast<long>(oy) * g.stride * g.XW + static_cast<long>(ox) * g.stride;
        for (int oc = full; oc < g.OC; ++oc) db[oc] += d[oc];
        for (int k = 0; k < P; ++k)
          for (int oc = full; oc < g.OC; ++oc) dw[k * g.OC + oc] += xw[tap_offset(g, k)] * d[oc];
      }
}

void direct_conv_backward_input_simd(float* dx, const float* dout, const float* w, const PlaneConv& g, int n) {
  const int P = g.KH * g.KW, full = g.OC / W * W;
  for (int s = 0; s < n; ++s)
    for (int oy = 0; oy < g.OH; ++oy)
      for (int ox = 0; ox < g.OW; ++ox) {
        const float* d = dout + ((static_cast<long>(s) * g.OH + oy) * g.OW + ox) * g.OC;
        float* dxw = dx + s * g.plane() + static_cast<long>(oy) * g.stride * g.XW + static_cast<long>(ox) * g.stride;
        for (int k = 0; k < P; ++k) {
          const float* wk = w + static_cast<long>(k) * g.OC;
          f32 acc = simd::splat(0.0f);
          for (int oc = 0; oc < full; oc += W) acc = xsimd::fma(simd::load(d + oc), simd::load(wk + oc), acc);
          float sum = xsimd::hadd(acc);
          for (int oc = full; oc < g.OC; ++oc) sum += d[oc] * wk[oc];
          dxw[tap_offset(g, k)] += sum;
        }
      }
}

}  // namespace dt
