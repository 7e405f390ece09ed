// xsimd element-wise kernels: a main loop over full vectors, then a scalar tail.
#include "kernels/elementwise.h"
#include "kernels/simd.h"

namespace dt {

using simd::f32;
constexpr int W = simd::kWidth;

void add_bias_rows_simd(float* y, const float* bias, int rows, int cols) {
  const int full = cols / W * W;
  for (int r = 0; r < rows; ++r) {
    float* yr = y + static_cast<size_t>(r) * cols;
    int c = 0;
    for (; c < full; c += W) simd::store(yr + c, simd::load(yr + c) + simd::load(bias + c));
    for (; c < cols; ++c) yr[c] += bias[c];
  }
}

void sum_rows_simd(float* dbias, const float* dy, int rows, int cols) {
  const int full = cols / W * W;
  int c = 0;
  for (; c < full; c += W) {
    f32 acc = simd::load(dbias + c);
    for (int r = 0; r < rows; ++r) acc += simd::load(dy + static_cast<size_t>(r) * cols + c);
    simd::store(dbias + c, acc);
  }
  for (; c < cols; ++c) {
    float acc = dbias[c];
    for (int r = 0; r < rows; ++r) acc += dy[static_cast<size_t>(r) * cols + c];
    dbias[c] = acc;
  }
}

void relu_forward_simd(float* y, const float* x, size_t n) {
  const size_t full = n / W * W;
  const f32 zero = simd::splat(0.0f);
  size_t i = 0;
  for (; i < full; i += W) simd::store(y + i, simd::max(simd::load(x + i), zero));
  for (; i < n; ++i) y[i] = x[i] > 0.0f ? x[i] : 0.0f;
}

void relu_backward_simd(float* dx, const float* dy, const float* y, size_t n) {
  const size_t full = n / W * W;
  const f32 zero = simd::splat(0.0f);
  size_t i = 0;
  for (; i < full; i += W)
    simd::store(dx + i, simd::where(simd::load(y + i) > zero, simd::load(dy + i)));
  for (; i < n; ++i) dx[i] = y[i] > 0.0f ? dy[i] : 0.0f;
}

void add_into_simd(float* y, const float* x, size_t n) {
  const size_t full = n / W * W;
  size_t i = 0;
  for (; i < full; i += W) simd::store(y + i, simd::load(y + i) + simd::load(x + i));
  for (; i < n; ++i) y[i] += x[i];
}

// x - x is exactly 0 for any finite x (however large) and NaN for NaN or infinity, and a NaN
// survives the sum: one compare at the end instead of one per element.
bool all_finite_simd(const float* x, size_t n) {
  const size_t full = n / W * W;
  f32 acc = simd::splat(0.0f);
  size_t i = 0;
  for (; i < full; i += W) {
    const f32 v = simd::load(x + i);
    acc += v - v;
  }
  float tail = 0.0f;
  for (; i < n; ++i) tail += x[i] - x[i];
  const float total = xsimd::hadd(acc) + tail;
  return total == 0.0f;
}

}  // namespace dt
