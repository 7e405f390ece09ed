#include "kernels/leaky_relu.h"

namespace dt {

void leaky_relu_forward_ref(float* y, const float* x, size_t n, float alpha) {
  for (size_t i = 0; i < n; ++i) y[i] = x[i] > 0.0f ? x[i] : alpha * x[i];
}

void leaky_relu_backward_ref(float* dx, const float* dy, const float* x, size_t n, float alpha) {
  for (size_t i = 0; i < n; ++i) dx[i] = x[i] > 0.0f ? dy[i] : alpha * dy[i];
}

}  // namespace dt
