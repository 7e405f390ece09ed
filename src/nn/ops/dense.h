// dense (fully connected), reference implementation. Weights are (IN, OUT) so that the
// forward is inp (N,IN) . w (IN,OUT), the same row-major GEMM the fast path uses.
#pragma once

namespace dt {

// out (N,OUT) = inp (N,IN) . w (IN,OUT) + b (OUT)
template <class T>
void dense_forward_ref(T* out, const T* inp, const T* w, const T* b, int N, int IN, int OUT) {
  for (int n = 0; n < N; ++n) {
    T* o = out + static_cast<long>(n) * OUT;
    const T* x = inp + static_cast<long>(n) * IN;
    for (int j = 0; j < OUT; ++j) o[j] = b[j];
    for (int i = 0; i < IN; ++i)
      for (int j = 0; j < OUT; ++j) o[j] += x[i] * w[static_cast<long>(i) * OUT + j];
  }
}

// dinp (N,IN) = dout . w^T (overwritten; skipped when null); dw (IN,OUT) += inp^T . dout;
// db (OUT) += column sums of dout.
template <class T>
void dense_backward_ref(T* dinp, T* dw, T* db, const T* dout, const T* inp, const T* w, int N, int IN, int OUT) {
  for (int n = 0; n < N; ++n) {
    const T* d = dout + static_cast<long>(n) * OUT;
    const T* x = inp + static_cast<long>(n) * IN;
    for (int j = 0; j < OUT; ++j) db[j] += d[j];
    for (int i = 0; i < IN; ++i) {
      T acc = T(0);
      for (int j = 0; j < OUT; ++j) {
        dw[static_cast<long>(i) * OUT + j] += x[i] * d[j];
        acc += w[static_cast<long>(i) * OUT + j] * d[j];
      }
      if (dinp) dinp[static_cast<long>(n) * IN + i] = acc;
    }
  }
}

}  // namespace dt
