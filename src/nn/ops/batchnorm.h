// Batch normalisation over all axes but the channel (NHWC: rows of C). In training it
// normalises with the batch's own mean and variance and saves mean and 1/std for the backward;
// in inference it uses the running estimates.
#pragma once
#include <cmath>

namespace dt {

// y (R,C) = gamma * (x - mean) * rstd + beta, with batch statistics over the R rows.
// mean (C), rstd (C) are saved for the backward.
template <class T>
void batchnorm_forward_train_ref(T* y, T* mean, T* rstd, const T* x, const T* gamma, const T* beta, long R, int C,
                                 T eps) {
  for (int c = 0; c < C; ++c) {
    T m = T(0);
    for (long r = 0; r < R; ++r) m += x[r * C + c];
    m /= T(R);
    T v = T(0);
    for (long r = 0; r < R; ++r) {
      const T d = x[r * C + c] - m;
      v += d * d;
    }
    v /= T(R);
    mean[c] = m;
    rstd[c] = T(1) / std::sqrt(v + eps);
  }
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

// dx (R,C) overwritten; dgamma, dbeta (C) accumulated.
template <class T>
void batchnorm_backward_ref(T* dx, T* dgamma, T* dbeta, const T* dy, const T* x, const T* mean, const T* rstd,
                            const T* gamma, long R, int C) {
  for (int c = 0; c < C; ++c) {
    T sum_dy = T(0), sum_dy_xhat = T(0);
    for (long r = 0; r < R; ++r) {
      const T xhat = (x[r * C + c] - mean[c]) * rstd[c];
      sum_dy += dy[r * C + c];
      sum_dy_xhat += dy[r * C + c] * xhat;
    }
    dgamma[c] += sum_dy_xhat;
    dbeta[c] += sum_dy;
    const T k = gamma[c] * rstd[c] / T(R);
    for (long r = 0; r < R; ++r) {
      const T xhat = (x[r * C + c] - mean[c]) * rstd[c];
      dx[r * C + c] = k * (T(R) * dy[r * C + c] - sum_dy - xhat * sum_dy_xhat);
    }
  }
}

}  // namespace dt
