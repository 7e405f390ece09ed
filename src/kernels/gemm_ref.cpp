// Reference GEMM: no vector instructions, no blocking; the definition of the result.
#include "kernels/gemm.h"

namespace dt {

void gemm_f32_ref(float* C, int ldc, const float* A, int a_rs, int a_cs, const float* B, int ldb,
                  int M, int N, int K, bool accumulate) {
  for (int i = 0; i < M; ++i) {
    float* c = C + static_cast<long>(i) * ldc;
    if (!accumulate)
      for (int j = 0; j < N; ++j) c[j] = 0.0f;
    for (int k = 0; k < K; ++k) {
      const float a = A[static_cast<long>(i) * a_rs + static_cast<long>(k) * a_cs];
      const float* b = B + static_cast<long>(k) * ldb;
      for (int j = 0; j < N; ++j) c[j] += a * b[j];
    }
  }
}

}  // namespace dt
