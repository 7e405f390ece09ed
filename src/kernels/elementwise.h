// Element-wise and row-wise kernels on the hot path of every training step. Each has a plain
// `_ref` and an xsimd `_simd` version with the same signature; tests compare them, the engine
// calls the unsuffixed name (the SIMD one).
//
// Shapes: `rows x cols` buffers are row-major; n is a flat element count.
#pragma once
#include <cstddef>

namespace dt {

// y (rows,cols) += bias (cols), broadcast over rows.
void add_bias_rows_ref(float* y, const float* bias, int rows, int cols);
void add_bias_rows_simd(float* y, const float* bias, int rows, int cols);

// dbias (cols) += sum over rows of dy (rows,cols).
void sum_rows_ref(float* dbias, const float* dy, int rows, int cols);
void sum_rows_simd(float* dbias, const float* dy, int rows, int cols);

// y = max(x, 0), in place allowed.
void relu_forward_ref(float* y, const float* x, size_t n);
void relu_forward_simd(float* y, const float* x, size_t n);

// dx = dy where y > 0, else 0 (y is the forward output).
void relu_backward_ref(float* dx, const float* dy, const float* y, size_t n);
void relu_backward_simd(float* dx, const float* dy, const float* y, size_t n);

// y += x.
void add_into_ref(float* y, const float* x, size_t n);
void add_into_simd(float* y, const float* x, size_t n);

// Whether every x is finite (no NaN, no infinity): the divergence guard's check of gradients.
bool all_finite_ref(const float* x, size_t n);
bool all_finite_simd(const float* x, size_t n);

inline void add_bias_rows(float* y, const float* bias, int rows, int cols) { add_bias_rows_simd(y, bias, rows, cols); }
inline void sum_rows(float* dbias, const float* dy, int rows, int cols) { sum_rows_simd(dbias, dy, rows, cols); }
inline void relu_forward(float* y, const float* x, size_t n) { relu_forward_simd(y, x, n); }
inline void relu_backward(float* dx, const float* dy, const float* y, size_t n) { relu_backward_simd(dx, dy, y, n); }
inline void add_into(float* y, const float* x, size_t n) { add_into_simd(y, x, n); }
inline bool all_finite(const float* x, size_t n) { return all_finite_simd(x, n); }

}  // namespace dt
