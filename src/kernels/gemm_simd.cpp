// Register-tiled GEMM. C is computed in tiles of MR rows by NV vectors: each step over k loads
// NV vectors of one row of B, broadcasts MR elements of A, and does MR*NV fused multiply-adds
// into accumulators that stay in registers for the whole k loop. The tile is sized to the
// register file: 6x4 vectors with AVX-512's 32 registers, 4x3 with AVX2's 16. WebAssembly is
// tighter: V8 keeps one of x86's 16 vector registers as scratch and SIMD128 has no fused
// multiply-add, so each product needs a temporary; 4x3 (12 accumulators + 3 B + 1 A + 1
// product = 17) spills in the inner loop. 2x4 (8 + 4 + 1 + 1 = 14) does not: TurboFan's x64
// code for its k loop (node --print-wasm-code) holds all of them in xmm registers, with no
// stack traffic but around the loop's stack check. 3x3 does not spill either, but the
// engine's widths are 8 or 16 vectors (32 and 64 channels), which 3 does not divide: every
// row of tiles ended in a 1- or 2-vector tile. With 2x4, in headless Chromium (kernel bench,
// medians of 5), Winograd's conv2 (whose 16 products per tile block are 85 x {32, 64} x {32,
// 64}) ran forward + backward in 2155 us where 3x3 took 2400 (5x2: 2210), keras-cnn's
// 16-sample step in 3355 us where 3x3 took 3610, and the GEMM rows within 3% either way.
// k is split into blocks so the B panel being reused stays in cache. Columns left over after
// the full vectors are one masked vector per row with AVX-512, a scalar loop elsewhere;
// nothing reads past the end of a buffer.
#include <algorithm>
#include <array>
#include <utility>

#if defined(__AVX512F__)
#include <immintrin.h>
#endif

#include "kernels/gemm.h"
#include "kernels/simd.h"

namespace dt {
namespace {

using simd::f32;
constexpr int W = simd::kWidth;
#ifdef __wasm__
constexpr int kMR = 2;
constexpr int kNV = 4;
#else
constexpr int kMR = W >= 16 ? 6 : 4;
constexpr int kNV = W >= 16 ? 4 : 3;
#endif
constexpr int kKC = 256;  // k block: B panel of kKC x (kNV*W) floats stays in L1/L2

template <int MR, int NV>
void tile(float* C, int ldc, const float* A, int a_rs, int a_cs, const float* B, int ldb, int K,
          bool accumulate) {
  f32 acc[MR][NV];
  for (int r = 0; r < MR; ++r)
    for (int v = 0; v < NV; ++v)
      acc[r][v] = accumulate ? simd::load(C + static_cast<long>(r) * ldc + v * W) : simd::splat(0.0f);
  for (int k = 0; k < K; ++k) {
    const float* b = B + static_cast<long>(k) * ldb;
    f32 bv[NV];
    for (int v = 0; v < NV; ++v) bv[v] = simd::load(b + v * W);
    const float* a = A + static_cast<long>(k) * a_cs;
    for (int r = 0; r < MR; ++r) {
      const f32 ar = simd::splat(a[static_cast<long>(r) * a_rs]);
      for (int v = 0; v < NV; ++v) acc[r][v] = xsimd::fma(ar, bv[v], acc[r][v]);
    }
  }
  for (int r = 0; r < MR; ++r)
    for (int v = 0; v < NV; ++v) simd::store(C + static_cast<long>(r) * ldc + v * W, acc[r][v]);
}

using TileFn = void (*)(float*, int, const float*, int, int, const float*, int, int, bool);

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

#if defined(__AVX512F__)
// The columns after the last full vector (fewer than 16), as one masked vector per row:
// AVX-512 loads and stores only the lanes in `lanes` (and never faults on the others), so a
// width such as 24 or 100 is not left to a scalar loop that ran it several times slower.
template <int MR>
void tail_tile(float* C, int ldc, const float* A, int a_rs, int a_cs, const float* B, int ldb, int K, bool accumulate,
               __mmask16 lanes) {
  __m512 acc[MR];
  for (int r = 0; r < MR; ++r)
    acc[r] = accumulate ? _mm512_maskz_loadu_ps(lanes, C + static_cast<long>(r) * ldc) : _mm512_setzero_ps();
  for (int k = 0; k < K; ++k) {
    const __m512 b = _mm512_maskz_loadu_ps(lanes, B + static_cast<long>(k) * ldb);
    const float* a = A + static_cast<long>(k) * a_cs;
    for (int r = 0; r < MR; ++r) acc[r] = _mm512_fmadd_ps(_mm512_set1_ps(a[static_cast<long>(r) * a_rs]), b, acc[r]);
  }
  for (int r = 0; r < MR; ++r) _mm512_mask_storeu_ps(C + static_cast<long>(r) * ldc, lanes, acc[r]);
}

using TailFn = void (*)(float*, int, const float*, int, int, const float*, int, int, bool, __mmask16);
template <int... MRs>
constexpr auto table_of_tails(std::integer_sequence<int, MRs...>) {
  return std::array<TailFn, sizeof...(MRs)>{&tail_tile<MRs + 1>...};
}
// kTails[mr-1] computes an mr-row tail.
const auto kTails = table_of_tails(std::make_integer_sequence<int, kMR>{});
#endif

}  // namespace

void gemm_f32_simd(float* C, int ldc, const float* A, int a_rs, int a_cs, const float* B, int ldb,
                   int M, int N, int K, bool accumulate) {
  const int n_vec = N / W;  // columns covered by full vectors
  const int n_full = n_vec * W;
  if (K == 0) {
    if (!accumulate)
      for (int i = 0; i < M; ++i) std::fill(C + static_cast<long>(i) * ldc, C + static_cast<long>(i) * ldc + N, 0.0f);
    return;
  }
  for (int k0 = 0; k0 < K; k0 += kKC) {
    const int kc = std::min(kKC, K - k0);
    const bool acc = accumulate || k0 > 0;
    const float* Bk = B + static_cast<long>(k0) * ldb;
    const float* Ak = A + static_cast<long>(k0) * a_cs;
    for (int jv = 0; jv < n_vec; jv += kNV) {
      const int nv = std::min(kNV, n_vec - jv);
      const int j = jv * W;
      for (int i = 0; i < M; i += kMR) {
        const int mr = std::min(kMR, M - i);
        kTiles[mr - 1][nv - 1](C + static_cast<long>(i) * ldc + j, ldc, Ak + static_cast<long>(i) * a_rs, a_rs,
                               a_cs, Bk + j, ldb, kc, acc);
      }
    }
    if (n_full < N) {  // tail columns
#if defined(__AVX512F__)
      static_assert(W == 16, "the masked tail is written for 16-float vectors");
      const __mmask16 lanes = static_cast<__mmask16>((1u << (N - n_full)) - 1u);
      for (int i = 0; i < M; i += kMR) {
        const int mr = std::min(kMR, M - i);
        kTails[mr - 1](C + static_cast<long>(i) * ldc + n_full, ldc, Ak + static_cast<long>(i) * a_rs, a_rs, a_cs,
                       Bk + n_full, ldb, kc, acc, lanes);
      }
#else
      for (int i = 0; i < M; ++i) {
        float* c = C + static_cast<long>(i) * ldc;
        if (!acc)
          for (int j = n_full; j < N; ++j) c[j] = 0.0f;
        for (int k = 0; k < kc; ++k) {
          const float a = Ak[static_cast<long>(i) * a_rs + static_cast<long>(k) * a_cs];
          const float* b = Bk + static_cast<long>(k) * ldb;
          for (int j = n_full; j < N; ++j) c[j] += a * b[j];
        }
      }
#endif
    }
  }
}

}  // namespace dt
