#include "quant/predict_int8.h"

#include <algorithm>
#include <cmath>

#include "kernels/im2col.h"
#include "nn/ops/activations.h"

namespace dt {

namespace {

// q (n) = x / scale rounded to the nearest integer and clamped to [lo, hi] (NaN to lo).
void quantize_inputs(int16_t* q, const float* x, long n, float inv_scale, float lo, float hi) {
  for (long i = 0; i < n; ++i) {
    float v = x[i] * inv_scale;
    v = v >= lo ? v : lo;
    v = v <= hi ? v : hi;
    q[i] = static_cast<int16_t>(std::nearbyint(v));
  }
}

// out (M, N) = acc * out_scale + bias, per column.
void dequantize(float* out, const int32_t* acc, const float* out_scale, const float* bias, long M, int N) {
  for (long m = 0; m < M; ++m) {
    float* o = out + m * N;
    const int32_t* a = acc + m * N;
    for (int j = 0; j < N; ++j) o[j] = static_cast<float>(a[j]) * out_scale[j] + bias[j];
  }
}

void run_int8(const QuantLayer& ql, float* out, const float* in, int n, float* col, int16_t* qin, int32_t* acc) {
  const float* a = in;
  long M = n;
  if (ql.conv) {
    M = static_cast<long>(n) * ql.g.OH * ql.g.OW;
    im2col(col, in, ql.g, n);
    a = col;
  }
  quantize_inputs(qin, a, M * ql.K, 1.0f / ql.input_scale, float(ql.q_min()), float(ql.q_max()));
  gemm_s8(acc, ql.N, qin, ql.K, ql.packed, static_cast<int>(M));
  dequantize(out, acc, ql.out_scale.data(), ql.bias.data(), M, ql.N);
}

}  // namespace

QuantWorkspace::QuantWorkspace(const QuantizedModel& q, int max_n) : max_n_(std::max(1, max_n)) {
  const Model& m = q.model;
  long act = 1, col = 1, gemm_in = 1, gemm_out = 1, saved = 1, scratch = 1;
  for (int r = 0; r < m.num_layers(); ++r) {
    act = std::max(act, max_n_ * m.shape_after(r).size());
    const int l = q.qindex[r];
    if (l >= 0) {
      const QuantLayer& ql = q.qlayers[l];
      const long rows = ql.conv ? static_cast<long>(max_n_) * ql.g.OH * ql.g.OW : max_n_;
      if (ql.conv) col = std::max(col, rows * ql.K);
      gemm_in = std::max(gemm_in, rows * ql.K);
      gemm_out = std::max(gemm_out, rows * ql.N);
    } else {
      saved = std::max(saved, m.layer(r).saved_floats(max_n_));
      scratch = std::max(scratch, m.layer(r).scratch_floats(max_n_));
    }
  }
  acts_[0].resize(act);
  acts_[1].resize(act);
  col_.resize(col);
  qin_.resize(gemm_in);
  acc_.resize(gemm_out);
  saved_.resize(saved);
  scratch_.resize(scratch);
}

const float* QuantWorkspace::forward(const QuantizedModel& q, const float* pixels, int n) {
  const Model& m = q.model;
  const float* in = pixels;
  for (int r = 0; r < m.num_layers(); ++r) {
    float* out = acts_[r % 2].data();
    const int l = q.qindex[r];
    if (l >= 0) {
      run_int8(q.qlayers[l], out, in, n, col_.data(), qin_.data(), acc_.data());
    } else {
      Pass p;
      p.n = n;
      p.training = false;
      p.in = in;
      p.out = out;
      p.params = m.params() + m.layer_param_offset(r);
      p.saved = saved_.data();
      p.scratch = scratch_.data();
      m.layer(r).forward(p);
    }
    in = out;
  }
  return in;
}

void predict_probs_int8(float* probs, const QuantizedModel& q, QuantWorkspace& ws, const float* pixels, int n) {
  const int K = q.model.classes();
  const long P = q.model.input_shape().size();
  for (int s = 0; s < n; s += ws.max_n()) {
    const int m = std::min(ws.max_n(), n - s);
    const float* out = ws.forward(q, pixels + s * P, m);
    softmax_forward_ref(probs + static_cast<long>(s) * K, out, m, K);
  }
}

}  // namespace dt
