// SIMD GEMM against the reference at the sizes where tiling goes wrong: below, at, just above
// and at multiples of the vector width and of the register tile, plus a transposed A and
// accumulation.
#include <doctest/doctest.h>

#include "kernels/gemm.h"
#include "kernels/simd.h"
#include "test_util.h"

namespace dt {
namespace {

void check_gemm(int M, int N, int K, bool a_transposed, bool accumulate) {
  auto A = test::random_floats(static_cast<size_t>(M) * K, 1 + M * 31 + K);
  auto B = test::random_floats(static_cast<size_t>(K) * N, 2 + N * 17 + K);
  auto C0 = test::random_floats(static_cast<size_t>(M) * N, 3 + M + N);
  const int a_rs = a_transposed ? 1 : K, a_cs = a_transposed ? M : 1;
  std::vector<float> want = C0, got = C0;
  gemm_f32_ref(want.data(), N, A.data(), a_rs, a_cs, B.data(), N, M, N, K, accumulate);
  gemm_f32_simd(got.data(), N, A.data(), a_rs, a_cs, B.data(), N, M, N, K, accumulate);
  const long bad = test::first_mismatch(got, want, 1e-5 * (K + 1));
  INFO("M=" << M << " N=" << N << " K=" << K << " transposed=" << a_transposed << " accumulate=" << accumulate
            << " first mismatch at " << bad);
  CHECK(bad == -1);
}

TEST_CASE("gemm simd matches reference at edge sizes") {
  const int W = simd::kWidth;
  const std::vector<int> sizes = {1, 2, W - 1, W, W + 1, 2 * W, 3 * W + 1, 4 * W, 5 * W - 1, 8 * W, 7, 13};
  for (int M : {1, 3, 4, 5, 6, 7, 13, 25})
    for (int N : sizes)
      for (int K : {1, 5, 16, 33})
        if (N > 0) check_gemm(M, N, K, false, false);
}

TEST_CASE("gemm simd with transposed A and accumulation") {
  const int W = simd::kWidth;
  for (int M : {1, 6, 9, 27})
    for (int N : {W - 1, W, W + 3, 4 * W + 2})
      for (int K : {3, 31})
        if (N > 0) {
          check_gemm(M, N, K, true, false);
          check_gemm(M, N, K, true, true);
          check_gemm(M, N, K, false, true);
        }
}

TEST_CASE("gemm simd blocks long k (beyond one k block)") {
  check_gemm(7, 64, 600, false, false);
  check_gemm(288, 64, 777, true, true);  // the shape of a conv weight gradient
}

TEST_CASE("gemm with K = 0 clears or keeps C") {
  std::vector<float> C(6, 5.0f);
  gemm_f32_simd(C.data(), 3, nullptr, 1, 1, nullptr, 3, 2, 3, 0, true);
  CHECK(C[0] == 5.0f);
  gemm_f32_simd(C.data(), 3, nullptr, 1, 1, nullptr, 3, 2, 3, 0, false);
  CHECK(C[5] == 0.0f);
}

TEST_CASE("gemm respects leading dimensions (writes only inside the tile)") {
  // C is a 3x5 window of a 3x9 buffer; the columns outside it must stay untouched.
  const int M = 3, N = 5, K = 4, ldc = 9;
  auto A = test::random_floats(M * K, 10);
  auto B = test::random_floats(K * N, 11);
  std::vector<float> want(M * ldc, 42.0f), got(M * ldc, 42.0f);
  gemm_f32_ref(want.data(), ldc, A.data(), K, 1, B.data(), N, M, N, K, false);
  gemm_f32_simd(got.data(), ldc, A.data(), K, 1, B.data(), N, M, N, K, false);
  CHECK(test::first_mismatch(got, want, 1e-5) == -1);
  for (int i = 0; i < M; ++i)
    for (int j = N; j < ldc; ++j) CHECK(got[i * ldc + j] == 42.0f);
}

}  // namespace
}  // namespace dt
