// Losses on a batch of model outputs (N,K). Each returns the mean loss over the batch and
// writes dlogits (N,K) = d(mean loss)/d(output) scaled by `grad_scale` (the trainer passes
// 1/global_batch so that shards of a batch add up to the mean over the whole batch).
//
// - softmax cross-entropy with sparse labels: the model outputs logits; softmax is fused in,
//   which is both stabler and cheaper than a separate softmax layer. With label smoothing e
//   the target is (1-e) on the label and e/K on every class (Szegedy et al.), which keeps the
//   logits from growing without bound on a training set the model already fits.
// - focal loss (Lin et al.): cross-entropy weighted by (1-p_t)^gamma; on logits as well.
// - MSE against one-hot targets: on the outputs as they are (put a softmax layer first to
//   regress probabilities).
#pragma once
#include <cmath>
#include <cstdint>

#include "nn/ops/activations.h"

namespace dt {

// Returns the *sum* of per-sample losses (callers divide); probs (N,K) receives the softmax.
// With targets t_k, the loss is log(sum exp z) - sum_k t_k z_k and its gradient p_k - t_k.
template <class T>
T softmax_cross_entropy_ref(T* dlogits, T* probs, const T* logits, const uint8_t* labels, int N, int K,
                            T grad_scale, T smoothing = T(0)) {
  const T off = smoothing / T(K), on = T(1) - smoothing + off;
  T total = T(0);
  for (int n = 0; n < N; ++n) {
    const T* z = logits + static_cast<long>(n) * K;
    T* p = probs + static_cast<long>(n) * K;
    const T log_sum = softmax_row(p, z, K);
    const int y = labels[n];
    T target_dot_z = T(0);
    for (int k = 0; k < K; ++k) target_dot_z += (k == y ? on : off) * z[k];
    total += log_sum - target_dot_z;
    if (dlogits)
      for (int k = 0; k < K; ++k) dlogits[static_cast<long>(n) * K + k] = (p[k] - (k == y ? on : off)) * grad_scale;
  }
  return total;
}

// FL = -(1-p_y)^gamma log p_y. With g = gamma, q = 1-p_y, L = log p_y:
// dFL/dz_k = [g q^(g-1) L p_y - q^g] (1[k=y] - p_k) ... derived via dp_y/dz_k = p_y(1[k=y]-p_k),
// dL/dz_k = 1[k=y]-p_k.
template <class T>
T focal_loss_ref(T* dlogits, T* probs, const T* logits, const uint8_t* labels, int N, int K, T gamma, T grad_scale) {
  T total = T(0);
  for (int n = 0; n < N; ++n) {
    const T* z = logits + static_cast<long>(n) * K;
    T* p = probs + static_cast<long>(n) * K;
    const int y = labels[n];
    const T logp = z[y] - softmax_row(p, z, K);
    const T py = p[y];
    const T q = T(1) - py;
    const T qg = std::pow(q, gamma);
    total += -qg * logp;
    if (dlogits) {
      // d/dz_k of -(q^g) * logp = g q^(g-1) logp * dpy/dz_k - q^g * dlogp/dz_k
      const T qg1 = gamma == T(0) ? T(0) : gamma * std::pow(q, gamma - T(1));
      for (int k = 0; k < K; ++k) {
        const T ind = k == y ? T(1) : T(0);
        const T dpy = py * (ind - p[k]);
        const T dlogp = ind - p[k];
        dlogits[static_cast<long>(n) * K + k] = (qg1 * logp * dpy - qg * dlogp) * grad_scale;
      }
    }
  }
  return total;
}

// Sum over samples of mean over k of (out - onehot)^2.
template <class T>
T mse_onehot_ref(T* dout, const T* out, const uint8_t* labels, int N, int K, T grad_scale) {
  T total = T(0);
  for (int n = 0; n < N; ++n) {
    T s = T(0);
    for (int k = 0; k < K; ++k) {
      const T d = out[static_cast<long>(n) * K + k] - (k == labels[n] ? T(1) : T(0));
      s += d * d;
      if (dout) dout[static_cast<long>(n) * K + k] = T(2) * d / T(K) * grad_scale;
    }
    total += s / T(K);
  }
  return total;
}

}  // namespace dt
