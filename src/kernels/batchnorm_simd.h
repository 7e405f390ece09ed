// Batch-normalisation passes over NHWC rows (R rows of C channels), vectorised across channels.
// The reference is the op in nn/ops/batchnorm.h; the batchnorm layer composes these passes
// and its tests compare the result with that op.
#pragma once

namespace dt {

// mean (C), rstd (C) = 1 / sqrt(var + eps) of x (R,C), per channel (two passes: the variance of
// centred values is stable).
void batchnorm_stats_simd(float* mean, float* rstd, const float* x, long R, int C, float eps);

// y (R,C) = x * scale[c] + shift[c]; in place allowed.
void scale_shift_rows_simd(float* y, const float* x, const float* scale, const float* shift, long R, int C);

// sum_dy (C) = sum_r dy;  sum_dy_xhat (C) = sum_r dy * (x - mean) * rstd.
void batchnorm_backward_sums_simd(float* sum_dy, float* sum_dy_xhat, const float* dy, const float* x,
                                  const float* mean, const float* rstd, long R, int C);

// dx (R,C) = a[c] * dy + b[c] * x + c0[c].
void affine2_rows_simd(float* dx, const float* dy, const float* x, const float* a, const float* b, const float* c0,
                       long R, int C);

}  // namespace dt
