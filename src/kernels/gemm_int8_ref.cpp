// Reference int8 GEMM: no vector instructions, no blocking; the definition of the result.
#include <cassert>

#include "kernels/gemm_int8.h"

namespace dt {

void pack_b_s8(PackedB8& out, const int8_t* B, int ldb, int K, int N) {
  assert(K >= 0 && N >= 0 && ldb >= N);
  out.K = K;
  out.N = N;
  out.kpairs = (K + 1) / 2;
  out.np = (N + PackedB8::kPackCols - 1) / PackedB8::kPackCols * PackedB8::kPackCols;
  out.data.assign(static_cast<size_t>(out.kpairs) * out.np * 2, 0);
  for (int k = 0; k < K; ++k)
    for (int j = 0; j < N; ++j)
      out.data[(static_cast<size_t>(k / 2) * out.np + j) * 2 + (k & 1)] = B[static_cast<long>(k) * ldb + j];
}

void gemm_s8_ref(int32_t* C, int ldc, const int16_t* A, int lda, const PackedB8& B, int M) {
  for (int i = 0; i < M; ++i) {
    int32_t* c = C + static_cast<long>(i) * ldc;
    const int16_t* a = A + static_cast<long>(i) * lda;
    for (int j = 0; j < B.N; ++j) {
      int32_t acc = 0;
      for (int k = 0; k < B.K; ++k) acc += int32_t(a[k]) * packed_b_at(B, k, j);
      c[j] = acc;
    }
  }
}

}  // namespace dt
