// Activations: the smallest layers. Each forward reads x and writes y; each backward reads
// what it needs (x or y) and the incoming gradient dy, and writes dx. Softmax works per row.
#pragma once
#include <cmath>

namespace dt {

enum class Activation { relu, leaky_relu, sigmoid, tanh };

template <class T>
void activation_forward_ref(T* y, const T* x, long n, Activation a, T alpha) {
  for (long i = 0; i < n; ++i) {
    const T v = x[i];
    switch (a) {
      case Activation::relu: y[i] = v > T(0) ? v : T(0); break;
      case Activation::leaky_relu: y[i] = v > T(0) ? v : alpha * v; break;
      case Activation::sigmoid: y[i] = T(1) / (T(1) + std::exp(-v)); break;
      case Activation::tanh: y[i] = std::tanh(v); break;
    }
  }
}

// dx (n) from dy (n), the forward input x and output y.
template <class T>
void activation_backward_ref(T* dx, const T* dy, const T* x, const T* y, long n, Activation a, T alpha) {
  for (long i = 0; i < n; ++i) {
    switch (a) {
      case Activation::relu: dx[i] = x[i] > T(0) ? dy[i] : T(0); break;
      case Activation::leaky_relu: dx[i] = x[i] > T(0) ? dy[i] : alpha * dy[i]; break;
      case Activation::sigmoid: dx[i] = dy[i] * y[i] * (T(1) - y[i]); break;
      case Activation::tanh: dx[i] = dy[i] * (T(1) - y[i] * y[i]); break;
    }
  }
}

// y (K) = softmax of one row x (K), stable (subtracts the row max); returns log(sum(exp(x))),
// which the losses need for log-probabilities.
template <class T>
T softmax_row(T* y, const T* x, int K) {
  T m = x[0];
  for (int k = 1; k < K; ++k) m = x[k] > m ? x[k] : m;
  T sum = T(0);
  for (int k = 0; k < K; ++k) sum += (y[k] = std::exp(x[k] - m));
  for (int k = 0; k < K; ++k) y[k] /= sum;
  return m + std::log(sum);
}

// y (N,K) = softmax over each row of x (N,K).
template <class T>
void softmax_forward_ref(T* y, const T* x, int N, int K) {
  for (int n = 0; n < N; ++n) softmax_row(y + static_cast<long>(n) * K, x + static_cast<long>(n) * K, K);
}

// dx = y * (dy - sum(dy * y)) per row.
template <class T>
void softmax_backward_ref(T* dx, const T* dy, const T* y, int N, int K) {
  for (int n = 0; n < N; ++n) {
    const T* yr = y + static_cast<long>(n) * K;
    const T* dyr = dy + static_cast<long>(n) * K;
    T dot = T(0);
    for (int k = 0; k < K; ++k) dot += dyr[k] * yr[k];
    for (int k = 0; k < K; ++k) dx[static_cast<long>(n) * K + k] = yr[k] * (dyr[k] - dot);
  }
}

}  // namespace dt
