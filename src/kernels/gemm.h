// Single-precision matrix multiply, the workhorse of conv2d (through im2col) and dense.
//
//   C (M,N) = [C +] A (M,K) . B (K,N)
//
// B and C are row-major with leading dimensions ldb and ldc. A is addressed through two
// strides, A(i,k) = A[i*a_rs + k*a_cs], so a transposed A (as in dW = X^T . dY) needs no copy.
// `accumulate` adds into C instead of overwriting it.
//
// Two implementations with the same signature: `_ref` is the plain triple loop that defines
// the result; `_simd` is register-tiled with xsimd (AVX-512/AVX2 natively, SSE4.1 lowered to
// WebAssembly SIMD128 in the browser). Tests compare the two.
#pragma once

namespace dt {

void gemm_f32_ref(float* C, int ldc, const float* A, int a_rs, int a_cs, const float* B, int ldb,
                  int M, int N, int K, bool accumulate);

void gemm_f32_simd(float* C, int ldc, const float* A, int a_rs, int a_cs, const float* B, int ldb,
                   int M, int N, int K, bool accumulate);

// The version the engine uses.
inline void gemm_f32(float* C, int ldc, const float* A, int a_rs, int a_cs, const float* B, int ldb,
                     int M, int N, int K, bool accumulate) {
  gemm_f32_simd(C, ldc, A, a_rs, a_cs, B, ldb, M, N, K, accumulate);
}

}  // namespace dt
