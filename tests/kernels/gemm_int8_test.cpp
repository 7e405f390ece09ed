// int8 GEMM: the SIMD kernel against the reference, for exact equality (integer sums), at the
// sizes where tiling goes wrong: below, at and just above the vector width (4, 8 or 16
// columns) and the register tile, odd K (the half pair), K beyond one k block (256), the
// extremes of the value ranges (int8 and uint8 activations), and row strides wider than K.
#include <doctest/doctest.h>

#include <cstdint>
#include <vector>

#include "kernels/gemm_int8.h"
#include "util/rng.h"

namespace dt {
namespace {

std::vector<int16_t> random_acts(size_t n, uint64_t seed, int lo, int hi) {
  Rng rng(seed);
  std::vector<int16_t> v(n);
  for (auto& x : v) x = static_cast<int16_t>(lo + static_cast<int>(rng.uniform() * (hi - lo + 1)) % (hi - lo + 1));
  return v;
}

std::vector<int8_t> random_weights(size_t n, uint64_t seed) {
  Rng rng(seed);
  std::vector<int8_t> v(n);
  for (auto& x : v) x = static_cast<int8_t>(static_cast<int>(rng.uniform() * 255) % 255 - 127);
  return v;
}

void check(int M, int N, int K, int a_lo, int a_hi, int pad = 0) {
  const int lda = K + pad, ldb = N + pad, ldc = N + pad;
  auto A = random_acts(static_cast<size_t>(M) * lda, 1 + M * 31 + K, a_lo, a_hi);
  auto Bw = random_weights(static_cast<size_t>(K) * ldb, 2 + N * 17 + K);
  PackedB8 B;
  pack_b_s8(B, Bw.data(), ldb, K, N);
  for (int k = 0; k < K; ++k)
    for (int j = 0; j < N; ++j) REQUIRE(packed_b_at(B, k, j) == Bw[static_cast<size_t>(k) * ldb + j]);
  // C's padding columns must survive: fill with a sentinel.
  std::vector<int32_t> want(static_cast<size_t>(M) * ldc, -7), got(want);
  gemm_s8_ref(want.data(), ldc, A.data(), lda, B, M);
  gemm_s8_simd(got.data(), ldc, A.data(), lda, B, M);
  long bad = -1;
  for (size_t i = 0; i < want.size() && bad < 0; ++i)
    if (want[i] != got[i]) bad = static_cast<long>(i);
  INFO("M=" << M << " N=" << N << " K=" << K << " A in [" << a_lo << ", " << a_hi << "] pad=" << pad
            << " first mismatch at " << bad);
  CHECK(bad == -1);
}

TEST_CASE("gemm_s8 simd equals reference at edge sizes") {
  for (int M : {1, 2, 3, 4, 5, 6, 7, 9, 13, 17})
    for (int N : {1, 3, 4, 5, 7, 8, 9, 15, 16, 17, 31, 32, 33, 47, 48, 49, 64, 65, 100, 128, 129})
      for (int K : {1, 2, 3, 7, 9, 17, 33, 64})
        check(M, N, K, -127, 127);
}

TEST_CASE("gemm_s8 at the layer shapes and beyond one k block") {
  check(100, 32, 9, -127, 127);    // a first conv: 3x3x1 patches
  check(33, 64, 288, 0, 255);      // keras-cnn conv2, uint8 activations
  check(17, 64, 576, -127, 127);   // keras-cnn conv3 and dense1
  check(9, 128, 800, 0, 255);      // fast's dense 800 -> 128
  check(7, 10, 257, -127, 127);    // odd K just past one k block
  check(3, 33, 513, 0, 255, 5);    // two blocks and a half pair, with row padding
  check(64, 144, 144, -127, 127, 3);
}

TEST_CASE("gemm_s8 extremes sum exactly") {
  const int K = 4097, N = 19;
  std::vector<int16_t> A(K, 255);
  std::vector<int8_t> Bw(static_cast<size_t>(K) * N, -127);
  PackedB8 B;
  pack_b_s8(B, Bw.data(), N, K, N);
  std::vector<int32_t> want(N), got(N);
  gemm_s8_ref(want.data(), N, A.data(), K, B, 1);
  gemm_s8_simd(got.data(), N, A.data(), K, B, 1);
  for (int j = 0; j < N; ++j) {
    CHECK(want[j] == -255 * 127 * K);
    CHECK(got[j] == want[j]);
  }
}

TEST_CASE("gemm_s8 with K = 0 writes zeros") {
  PackedB8 B;
  pack_b_s8(B, nullptr, 5, 0, 5);
  std::vector<int32_t> c(10, 3);
  std::vector<int16_t> a(1, 0);
  gemm_s8_simd(c.data(), 5, a.data(), 0, B, 2);
  for (int v : c) CHECK(v == 0);
}

}  // namespace
}  // namespace dt
