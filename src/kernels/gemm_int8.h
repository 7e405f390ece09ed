// Integer matrix multiply for int8 inference (quant/): int8 weights, 8-bit activations, exact
// int32 accumulation.
//
//   C (M,N) int32 = A (M,K) . B (K,N)
//
// B is the weight matrix, int8 in [-127, 127], in the same (K, N) row-major layout as a float
// layer's weights ((KH,KW,C,OC) for conv2d, (IN,OUT) for dense). It is packed once, when a
// model is quantised, by pack_b_s8: pairs of k interleaved as int16, (K/2 rounded up, Np, 2)
// with Np = N rounded up to 16 columns and zeros in the padding, so that one vector load
// holds two k of several output channels: the operand layout of pmaddwd (SSE2/AVX2/AVX-512,
// vpdpwssd with AVX-512 VNNI) and of WebAssembly SIMD128's i32x4.dot_i16x8_s.
//
// A holds the activations: 8-bit values (int8 in [-127, 127], or uint8 in [0, 255] after a
// ReLU) stored one per int16. Stored that way, a pair of k is one 32-bit load and broadcast
// in the inner loop, and signed and unsigned activations share one kernel; the product of a
// pair, 2 * 255 * 127, and sums of up to 66,000 of them fit in int32 exactly.
//
// Two implementations with the same signature: `_ref` is the plain loop that defines the
// result (on the packed B, read back through packed_b_at); `_simd` is register-tiled with the
// widest of AVX-512BW, AVX2, SSE2 or SIMD128. Integer sums are exact, so tests compare the
// two for equality.
#pragma once
#include <cstddef>
#include <cstdint>
#include <vector>

namespace dt {

struct PackedB8 {
  int K = 0, N = 0;  // the logical matrix
  int kpairs = 0;    // ceil(K / 2)
  int np = 0;        // N rounded up to kPackCols
  std::vector<int16_t> data;  // (kpairs, np, 2): data[(p * np + j) * 2 + h] = B(2p + h, j), 0 outside
  static constexpr int kPackCols = 16;
};

// out = B (K,N) int8, row stride ldb, packed as above.
void pack_b_s8(PackedB8& out, const int8_t* B, int ldb, int K, int N);

// B(k, j) as packed.
inline int packed_b_at(const PackedB8& B, int k, int j) {
  return B.data[(static_cast<size_t>(k / 2) * B.np + j) * 2 + (k & 1)];
}

// C (M, N) int32, row stride ldc, = A (M, K) with row stride lda (values within [-255, 255])
// . B. C is overwritten.
void gemm_s8_ref(int32_t* C, int ldc, const int16_t* A, int lda, const PackedB8& B, int M);
void gemm_s8_simd(int32_t* C, int ldc, const int16_t* A, int lda, const PackedB8& B, int M);

// The version the engine uses.
inline void gemm_s8(int32_t* C, int ldc, const int16_t* A, int lda, const PackedB8& B, int M) {
  gemm_s8_simd(C, ldc, A, lda, B, M);
}

}  // namespace dt
