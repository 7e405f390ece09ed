// Reference element-wise kernels: the definitions the SIMD versions are tested against.
#include "kernels/elementwise.h"

#include <cmath>

namespace dt {

void add_bias_rows_ref(float* y, const float* bias, int rows, int cols) {
  for (int r = 0; r < rows; ++r)
    for (int c = 0; c < cols; ++c) y[static_cast<size_t>(r) * cols + c] += bias[c];
}

void sum_rows_ref(float* dbias, const float* dy, int rows, int cols) {
  for (int r = 0; r < rows; ++r)
    for (int c = 0; c < cols; ++c) dbias[c] += dy[static_cast<size_t>(r) * cols + c];
}

void relu_forward_ref(float* y, const float* x, size_t n) {
  for (size_t i = 0; i < n; ++i) y[i] = x[i] > 0.0f ? x[i] : 0.0f;
}

void relu_backward_ref(float* dx, const float* dy, const float* y, size_t n) {
  for (size_t i = 0; i < n; ++i) dx[i] = y[i] > 0.0f ? dy[i] : 0.0f;
}

void add_into_ref(float* y, const float* x, size_t n) {
  for (size_t i = 0; i < n; ++i) y[i] += x[i];
}

bool all_finite_ref(const float* x, size_t n) {
  for (size_t i = 0; i < n; ++i)
    if (!std::isfinite(x[i])) return false;
  return true;
}

}  // namespace dt
