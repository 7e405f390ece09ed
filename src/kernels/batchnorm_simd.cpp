#include "kernels/batchnorm_simd.h"

#include <cmath>

#include "kernels/simd.h"

namespace dt {

using simd::f32;
constexpr int W = simd::kWidth;

void batchnorm_stats_simd(float* mean, float* rstd, const float* x, long R, int C, float eps) {
  const int full = C / W * W;
  const float inv_r = 1.0f / float(R);
  for (int c = 0; c < full; c += W) {
    f32 s = simd::splat(0.0f);
    for (long r = 0; r < R; ++r) s += simd::load(x + r * C + c);
    const f32 m = s * simd::splat(inv_r);
    f32 v = simd::splat(0.0f);
    for (long r = 0; r < R; ++r) {
      const f32 d = simd::load(x + r * C + c) - m;
      v = xsimd::fma(d, d, v);
    }
    simd::store(mean + c, m);
    simd::store(rstd + c, simd::splat(1.0f) / xsimd::sqrt(v * simd::splat(inv_r) + simd::splat(eps)));
  }
  for (int c = full; c < C; ++c) {
    float s = 0;
    for (long r = 0; r < R; ++r) s += x[r * C + c];
    const float m = s * inv_r;
    float v = 0;
    for (long r = 0; r < R; ++r) v += (x[r * C + c] - m) * (x[r * C + c] - m);
    mean[c] = m;
    rstd[c] = 1.0f / std::sqrt(v * inv_r + eps);
  }
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

void batchnorm_backward_sums_simd(float* sum_dy, float* sum_dy_xhat, const float* dy, const float* x,
                                  const float* mean, const float* rstd, long R, int C) {
  const int full = C / W * W;
  for (int c = 0; c < full; c += W) {
    const f32 m = simd::load(mean + c), s = simd::load(rstd + c);
    f32 a = simd::splat(0.0f), b = simd::splat(0.0f);
    for (long r = 0; r < R; ++r) {
      const f32 d = simd::load(dy + r * C + c);
      a += d;
      b = xsimd::fma(d, (simd::load(x + r * C + c) - m) * s, b);
    }
    simd::store(sum_dy + c, a);
    simd::store(sum_dy_xhat + c, b);
  }
  for (int c = full; c < C; ++c) {
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
