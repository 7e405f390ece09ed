// Leaky ReLU: y = x where x > 0, else alpha x. A plain `_ref` and an xsimd `_simd` version of
// each pass with the same signature; tests compare them, the layer calls the SIMD one.
#pragma once
#include <cstddef>

namespace dt {

// y (n) from x (n); in place allowed.
void leaky_relu_forward_ref(float* y, const float* x, size_t n, float alpha);
void leaky_relu_forward_simd(float* y, const float* x, size_t n, float alpha);

// dx (n) = dy where x > 0, else alpha dy (x is the forward input).
void leaky_relu_backward_ref(float* dx, const float* dy, const float* x, size_t n, float alpha);
void leaky_relu_backward_simd(float* dx, const float* dy, const float* x, size_t n, float alpha);

}  // namespace dt
