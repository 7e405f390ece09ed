// Register-tiled int8 GEMM on the packed layout of kernels/gemm_int8.h. Each step over a pair
// of k loads NV vectors of packed B (two k of W output channels each, as int16), broadcasts
// one pair of A per row (a single 32-bit load), and multiplies-and-adds pairwise into MR x NV
// int32 accumulators that stay in registers: pmaddwd + paddd (vpdpwssd, one instruction, with
// AVX-512 VNNI; i32x4.dot_i16x8_s + i32x4.add in WebAssembly). The tile is sized to the
// register file as in the float GEMM: 6x4 with AVX-512's 32 registers, 4x3 with AVX2's 16, 3x3
// in WebAssembly (no fused instruction: each product needs a temporary). k is split into
// blocks of pairs so that the B panel being reused stays in cache.
//
// Columns: packed B has Np (a multiple of 16) zero-padded columns, so every vector load is
// inside it; the last vector of a row of C is stored through a small buffer when fewer than W
// of its columns belong to C. An odd K ends with one half pair (A's last k, 0). Nothing reads
// past the end of A, B or C.
#include <algorithm>
#include <array>
#include <cassert>
#include <cstring>
#include <utility>

#include "kernels/gemm_int8.h"

#if defined(__AVX512BW__) || defined(__AVX2__) || (defined(__SSE2__) && !defined(__wasm__))
#include <immintrin.h>
#endif
#if defined(__wasm_simd128__)
#include <wasm_simd128.h>
#endif

namespace dt {
namespace {

// One vector of int32 accumulators (W columns), and the operations the tile needs.
#if defined(__AVX512BW__)
struct V {
  using reg = __m512i;
  static constexpr int W = 16;
  static reg zero() { return _mm512_setzero_si512(); }
  static reg load(const void* p) { return _mm512_loadu_si512(p); }
  static void store(void* p, reg v) { _mm512_storeu_si512(p, v); }
  static reg splat(int32_t x) { return _mm512_set1_epi32(x); }
  static reg add(reg a, reg b) { return _mm512_add_epi32(a, b); }
#if defined(__AVX512VNNI__)
  static reg madd_add(reg acc, reg a, reg b) { return _mm512_dpwssd_epi32(acc, a, b); }
#else
  static reg madd_add(reg acc, reg a, reg b) { return _mm512_add_epi32(acc, _mm512_madd_epi16(a, b)); }
#endif
};
constexpr int kMR = 6, kNV = 4;
#elif defined(__AVX2__)
struct V {
  using reg = __m256i;
  static constexpr int W = 8;
  static reg zero() { return _mm256_setzero_si256(); }
  static reg load(const void* p) { return _mm256_loadu_si256(static_cast<const __m256i*>(p)); }
  static void store(void* p, reg v) { _mm256_storeu_si256(static_cast<__m256i*>(p), v); }
  static reg splat(int32_t x) { return _mm256_set1_epi32(x); }
  static reg add(reg a, reg b) { return _mm256_add_epi32(a, b); }
  static reg madd_add(reg acc, reg a, reg b) { return _mm256_add_epi32(acc, _mm256_madd_epi16(a, b)); }
};
constexpr int kMR = 4, kNV = 3;
#elif defined(__wasm_simd128__)
struct V {
  using reg = v128_t;
  static constexpr int W = 4;
  static reg zero() { return wasm_i32x4_splat(0); }
  static reg load(const void* p) { return wasm_v128_load(p); }
  static void store(void* p, reg v) { wasm_v128_store(p, v); }
  static reg splat(int32_t x) { return wasm_i32x4_splat(x); }
  static reg add(reg a, reg b) { return wasm_i32x4_add(a, b); }
  static reg madd_add(reg acc, reg a, reg b) { return wasm_i32x4_add(acc, wasm_i32x4_dot_i16x8(a, b)); }
};
constexpr int kMR = 3, kNV = 3;
#elif defined(__SSE2__)
struct V {
  using reg = __m128i;
  static constexpr int W = 4;
  static reg zero() { return _mm_setzero_si128(); }
  static reg load(const void* p) { return _mm_loadu_si128(static_cast<const __m128i*>(p)); }
  static void store(void* p, reg v) { _mm_storeu_si128(static_cast<__m128i*>(p), v); }
  static reg splat(int32_t x) { return _mm_set1_epi32(x); }
  static reg add(reg a, reg b) { return _mm_add_epi32(a, b); }
  static reg madd_add(reg acc, reg a, reg b) { return _mm_add_epi32(acc, _mm_madd_epi16(a, b)); }
};
constexpr int kMR = 4, kNV = 3;
#else
#define DT_GEMM_S8_SCALAR 1
#endif

#ifndef DT_GEMM_S8_SCALAR
constexpr int W = V::W;
static_assert(PackedB8::kPackCols % W == 0, "packed columns must be whole vectors");
constexpr int kKC = 128;  // pairs of k per block: a 6x4 tile's B panel is 128 x 64 x 4 bytes = 32 KB

// A's k pair (a[0], a[1]) as the int32 whose low half is a[0]: one load on a little-endian target.
inline int32_t pair_at(const int16_t* a) {
  int32_t v;
  std::memcpy(&v, a, sizeof v);
  return v;
}

// C tile (MR rows, NV vectors from column j0) over pairs [0, pairs) of this k block; `half`:
// one more step with A's k = 2 * pairs alone (an odd K's last k). `cols`: C's columns from j0.
template <int MR, int NV>
void tile(int32_t* C, int ldc, const int16_t* A, int lda, const int16_t* B, int np, int pairs, bool half,
          bool accumulate, int cols) {
  typename V::reg acc[MR][NV];
  for (int r = 0; r < MR; ++r)
    for (int v = 0; v < NV; ++v) acc[r][v] = V::zero();
  for (int p = 0; p < pairs; ++p) {
    const int16_t* b = B + static_cast<long>(p) * np * 2;
    typename V::reg bv[NV];
    for (int v = 0; v < NV; ++v) bv[v] = V::load(b + v * W * 2);
    for (int r = 0; r < MR; ++r) {
      const typename V::reg ar = V::splat(pair_at(A + static_cast<long>(r) * lda + 2 * p));
      for (int v = 0; v < NV; ++v) acc[r][v] = V::madd_add(acc[r][v], ar, bv[v]);
    }
  }
  if (half) {  // B's high halves here are the zero padding
    const int16_t* b = B + static_cast<long>(pairs) * np * 2;
    for (int r = 0; r < MR; ++r) {
      const typename V::reg ar = V::splat(static_cast<uint16_t>(A[static_cast<long>(r) * lda + 2 * pairs]));
      for (int v = 0; v < NV; ++v) acc[r][v] = V::madd_add(acc[r][v], ar, V::load(b + v * W * 2));
    }
  }
  for (int r = 0; r < MR; ++r) {
    int32_t* c = C + static_cast<long>(r) * ldc;
    for (int v = 0; v < NV; ++v) {
      const int n = std::min(W, cols - v * W);
      if (n == W) {
        V::store(c + v * W, accumulate ? V::add(acc[r][v], V::load(c + v * W)) : acc[r][v]);
      } else if (n > 0) {  // the row's last, partial vector
        alignas(64) int32_t buf[W];
        V::store(buf, acc[r][v]);
        for (int j = 0; j < n; ++j) c[v * W + j] = accumulate ? c[v * W + j] + buf[j] : buf[j];
      }
    }
  }
}

using TileFn = void (*)(int32_t*, int, const int16_t*, int, const int16_t*, int, int, bool, bool, int);

template <int MR, int... NVs>
constexpr auto row_of_tiles(std::integer_sequence<int, NVs...>) {
  return std::array<TileFn, sizeof...(NVs)>{&tile<MR, NVs + 1>...};
}
template <int... MRs>
constexpr auto table_of_tiles(std::integer_sequence<int, MRs...>) {
  return std::array<std::array<TileFn, kNV>, sizeof...(MRs)>{
      row_of_tiles<MRs + 1>(std::make_integer_sequence<int, kNV>{})...};
}
// kTiles[mr-1][nv-1] computes an mr x nv-vector tile.
const auto kTiles = table_of_tiles(std::make_integer_sequence<int, kMR>{});
#endif

}  // namespace

void gemm_s8_simd(int32_t* C, int ldc, const int16_t* A, int lda, const PackedB8& B, int M) {
#ifdef DT_GEMM_S8_SCALAR
  gemm_s8_ref(C, ldc, A, lda, B, M);
#else
  assert(ldc >= B.N && lda >= B.K);
  const int N = B.N, full_pairs = B.K / 2;
  const bool odd = B.K % 2 != 0;
  const int n_vec = (N + W - 1) / W;  // vectors covering C's columns (the last maybe partial)
  if (B.K == 0) {
    for (int i = 0; i < M; ++i) std::fill(C + static_cast<long>(i) * ldc, C + static_cast<long>(i) * ldc + N, 0);
    return;
  }
  for (int p0 = 0;; p0 += kKC) {  // at least one block, which may hold only the half pair
    const int pairs = std::min(kKC, full_pairs - p0);
    const bool last = p0 + kKC >= full_pairs;
    const bool half = odd && last;
    const bool acc = p0 > 0;
    const int16_t* Bk = B.data.data() + static_cast<long>(p0) * B.np * 2;
    const int16_t* Ak = A + 2L * p0;
    for (int jv = 0; jv < n_vec; jv += kNV) {
      const int nv = std::min(kNV, n_vec - jv);
      const int j = jv * W;
      for (int i = 0; i < M; i += kMR) {
        const int mr = std::min(kMR, M - i);
        kTiles[mr - 1][nv - 1](C + static_cast<long>(i) * ldc + j, ldc, Ak + static_cast<long>(i) * lda, lda,
                               Bk + 2L * j, B.np, pairs, half, acc, N - j);
      }
    }
    if (last) break;
  }
#endif
}

}  // namespace dt
