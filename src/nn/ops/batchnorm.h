// Batch normalisation over all axes but the channel (NHWC: rows of C). In training it
// normalises with the batch's own mean and variance and saves mean and 1/std for the backward;
// in inference it uses the running estimates.
#pragma once
#include <cmath>

namespace dt {

// The loops run row-major (channels innermost) so that they stream through NHWC memory and
// vectorise; statistics are accumulated per channel in the output arrays.

// y (R,C) = gamma * (x - mean) * rstd + beta, with batch statistics over the R rows.
// mean (C), rstd (C) are saved for the backward.
template <class T>
void batchnorm_forward_train_ref(T* y, T* mean, T* rstd, const T* x, const T* gamma, const T* beta, long R, int C,
                                 T eps) {
  for (int c = 0; c < C; ++c) mean[c] = rstd[c] = T(0);
  for (long r = 0; r < R; ++r)
    for (int c = 0; c < C; ++c) mean[c] += x[r * C + c];
  for (int c = 0; c < C; ++c) mean[c] /= T(R);
  for (long r = 0; r < R; ++r)  // two passes: the variance of centred values is stable
    for (int c = 0; c < C; ++c) {
      const T d = x[r * C + c] - mean[c];
      rstd[c] += d * d;
    }
  for (int c = 0; c < C; ++c) rstd[c] = T(1) / std::sqrt(rstd[c] / T(R) + eps);
  for (long r = 0; r < R; ++r)
    for (int c = 0; c < C; ++c) y[r * C + c] = gamma[c] * (x[r * C + c] - mean[c]) * rstd[c] + beta[c];
}

template <class T>
void batchnorm_forward_infer_ref(T* y, const T* x, const T* gamma, const T* beta, const T* running_mean,
                                 const T* running_var, long R, int C, T eps) {
  for (long r = 0; r < R; ++r)
    for (int c = 0; c < C; ++c)
      y[r * C + c] = gamma[c] * (x[r * C + c] - running_mean[c]) / std::sqrt(running_var[c] + eps) + beta[c];
}

// dx (R,C) overwritten (skipped when null); dgamma, dbeta (C) accumulated; work (2C) scratch.
//   dx = gamma * rstd / R * (R dy - sum(dy) - xhat * sum(dy xhat))
template <class T>
void batchnorm_backward_ref(T* dx, T* dgamma, T* dbeta, const T* dy, const T* x, const T* mean, const T* rstd,
                            const T* gamma, long R, int C, T* work) {
  T* sum_dy = work;
  T* sum_dy_xhat = work + C;
  for (int c = 0; c < C; ++c) sum_dy[c] = sum_dy_xhat[c] = T(0);
  for (long r = 0; r < R; ++r)
    for (int c = 0; c < C; ++c) {
      const T xhat = (x[r * C + c] - mean[c]) * rstd[c];
      sum_dy[c] += dy[r * C + c];
      sum_dy_xhat[c] += dy[r * C + c] * xhat;
    }
  for (int c = 0; c < C; ++c) {
    dgamma[c] += sum_dy_xhat[c];
    dbeta[c] += sum_dy[c];
  }
  if (!dx) return;
  for (long r = 0; r < R; ++r)
    for (int c = 0; c < C; ++c) {
      const T xhat = (x[r * C + c] - mean[c]) * rstd[c];
      dx[r * C + c] = gamma[c] * rstd[c] / T(R) * (T(R) * dy[r * C + c] - sum_dy[c] - xhat * sum_dy_xhat[c]);
    }
}

}  // namespace dt
