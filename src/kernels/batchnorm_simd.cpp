#include "kernels/batchnorm_simd.h"

#include <cmath>

#include "kernels/simd.h"

namespace dt {

using simd::f32;
constexpr int W = simd::kWidth;

// The reductions keep a block of up to kBlock channel vectors in registers and walk the rows
// once per block: with NHWC rows of 32 channels, one pass reads x in memory order (a pass per
// vector of channels strided through it 8 times in wasm). Each channel still adds its rows in
// order, as the reference does.
namespace {
constexpr int kBlock = 8;

// out[c] = sum over rows r of term(r, c) for the channel vectors c in [c0, c0 + V*W).
template <int V, class Term>
void reduce_vectors(float* out, int c0, long R, const Term& term) {
  f32 acc[V];
  for (int v = 0; v < V; ++v) acc[v] = simd::splat(0.0f);
  for (long r = 0; r < R; ++r)
    for (int v = 0; v < V; ++v) acc[v] += term(r, c0 + v * W);
  for (int v = 0; v < V; ++v) simd::store(out + c0 + v * W, acc[v]);
}

// out[c] = sum_r term(r, c) for every channel: vectors in blocks, then the scalar tail.
template <class Term, class ScalarTerm>
void reduce_channels(float* out, long R, int C, const Term& term, const ScalarTerm& scalar) {
  const int full = C / W * W;
  int c = 0;
  for (; c + kBlock * W <= full; c += kBlock * W) reduce_vectors<kBlock>(out, c, R, term);
  for (; c < full; c += W) reduce_vectors<1>(out, c, R, term);
  for (; c < C; ++c) {
    float a = 0;
    for (long r = 0; r < R; ++r) a += scalar(r, c);
    out[c] = a;
  }
}
}  // namespace

void batchnorm_stats_simd(float* mean, float* rstd, const float* x, long R, int C, float eps) {
  const float inv_r = 1.0f / float(R);
  reduce_channels(
      mean, R, C, [&](long r, int c) { return simd::load(x + r * C + c); }, [&](long r, int c) { return x[r * C + c]; });
  for (int c = 0; c < C; ++c) mean[c] *= inv_r;
  reduce_channels(  // the variance of centred values is stable
      rstd, R, C,
      [&](long r, int c) {
        const f32 d = simd::load(x + r * C + c) - simd::load(mean + c);
        return d * d;
      },
      [&](long r, int c) { return (x[r * C + c] - mean[c]) * (x[r * C + c] - mean[c]); });
  for (int c = 0; c < C; ++c) rstd[c] = 1.0f / std::sqrt(rstd[c] * inv_r + eps);
}

void scale_shift_rows_simd(float* y, const float* x, const float* scale, const float* shift, long R, int C) {
  const int full = C / W * W;
  for (long r = 0; r < R; ++r) {
    const float* xr = x + r * C;
    float* yr = y + r * C;
    int c = 0;
    for (; c < full; c += W) simd::store(yr + c, xsimd::fma(simd::load(xr + c), simd::load(scale + c), simd::load(shift + c)));
    for (; c < C; ++c) yr[c] = xr[c] * scale[c] + shift[c];
  }
}

namespace {
// Both backward sums for the channel vectors [c0, c0 + V*W), in one walk over dy and x.
template <int V>
void backward_sums_vectors(float* sum_dy, float* sum_dy_xhat, const float* dy, const float* x, const float* mean,
                           const float* rstd, int c0, long R, int C) {
  f32 a[V], b[V], m[V], s[V];
  for (int v = 0; v < V; ++v) {
    a[v] = b[v] = simd::splat(0.0f);
    m[v] = simd::load(mean + c0 + v * W);
    s[v] = simd::load(rstd + c0 + v * W);
  }
  for (long r = 0; r < R; ++r)
    for (int v = 0; v < V; ++v) {
      const f32 d = simd::load(dy + r * C + c0 + v * W);
      a[v] += d;
      b[v] += d * ((simd::load(x + r * C + c0 + v * W) - m[v]) * s[v]);
    }
  for (int v = 0; v < V; ++v) {
    simd::store(sum_dy + c0 + v * W, a[v]);
    simd::store(sum_dy_xhat + c0 + v * W, b[v]);
  }
}
}  // namespace

void batchnorm_backward_sums_simd(float* sum_dy, float* sum_dy_xhat, const float* dy, const float* x,
                                  const float* mean, const float* rstd, long R, int C) {
  const int full = C / W * W;
  constexpr int kPairBlock = kBlock / 2;  // two accumulators per vector of channels
  int c = 0;
  for (; c + kPairBlock * W <= full; c += kPairBlock * W)
    backward_sums_vectors<kPairBlock>(sum_dy, sum_dy_xhat, dy, x, mean, rstd, c, R, C);
  for (; c < full; c += W) backward_sums_vectors<1>(sum_dy, sum_dy_xhat, dy, x, mean, rstd, c, R, C);
  for (; c < C; ++c) {
    float a = 0, b = 0;
    for (long r = 0; r < R; ++r) {
      a += dy[r * C + c];
      b += dy[r * C + c] * (x[r * C + c] - mean[c]) * rstd[c];
    }
    sum_dy[c] = a;
    sum_dy_xhat[c] = b;
  }
}

void affine2_rows_simd(float* dx, const float* dy, const float* x, const float* a, const float* b, const float* c0,
                       long R, int C) {
  const int full = C / W * W;
  for (long r = 0; r < R; ++r) {
    int c = 0;
    for (; c < full; c += W)
      simd::store(dx + r * C + c, xsimd::fma(simd::load(a + c), simd::load(dy + r * C + c),
                                             xsimd::fma(simd::load(b + c), simd::load(x + r * C + c), simd::load(c0 + c))));
    for (; c < C; ++c) dx[r * C + c] = a[c] * dy[r * C + c] + b[c] * x[r * C + c] + c0[c];
  }
}

}  // namespace dt
