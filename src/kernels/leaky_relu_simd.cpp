// Leaky ReLU over full vectors (a compare and a select), then a scalar tail.
#include "kernels/leaky_relu.h"
#include "kernels/simd.h"

namespace dt {

using simd::f32;
constexpr size_t W = simd::kWidth;

void leaky_relu_forward_simd(float* y, const float* x, size_t n, float alpha) {
  const size_t full = n / W * W;
  const f32 zero = simd::splat(0.0f), a = simd::splat(alpha);
  size_t i = 0;
  for (; i < full; i += W) {
    const f32 v = simd::load(x + i);
    simd::store(y + i, xsimd::select(v > zero, v, v * a));
  }
  for (; i < n; ++i) y[i] = x[i] > 0.0f ? x[i] : alpha * x[i];
}

void leaky_relu_backward_simd(float* dx, const float* dy, const float* x, size_t n, float alpha) {
  const size_t full = n / W * W;
  const f32 zero = simd::splat(0.0f), a = simd::splat(alpha);
  size_t i = 0;
  for (; i < full; i += W) {
    const f32 g = simd::load(dy + i);
    simd::store(dx + i, xsimd::select(simd::load(x + i) > zero, g, g * a));
  }
  for (; i < n; ++i) dx[i] = x[i] > 0.0f ? dy[i] : alpha * dy[i];
}

}  // namespace dt
