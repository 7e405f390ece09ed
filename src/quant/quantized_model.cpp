#include "quant/quantized_model.h"

#include <algorithm>
#include <cmath>
#include <cstring>

#include "nn/layers/batchnorm_layer.h"
#include "nn/layers/conv2d_layer.h"
#include "nn/layers/dense_layer.h"

namespace dt {

void QuantLayer::prepare() {
  pack_b_s8(packed, weight.data(), N, K, N);
  out_scale.resize(N);
  for (int j = 0; j < N; ++j) out_scale[j] = input_scale * weight_scale[j];
}

Result<QuantizedModel> quantized_layout(const ModelSpec& spec, const std::vector<int>& fold) {
  QuantizedModel q;
  q.spec = spec;
  ModelSpec run = spec;
  run.layers.clear();
  const int L = static_cast<int>(spec.layers.size());
  for (int i = 0; i < L; ++i) {
    if (std::find(fold.begin(), fold.end(), i) != fold.end()) {
      if (!spec.layers[i].is<BatchNormParams>() || i == 0 ||
          !(spec.layers[i - 1].is<Conv2dParams>() || spec.layers[i - 1].is<DenseParams>()))
        return Error{"layer " + std::to_string(i) + " is not a batch norm right after a conv2d or dense layer, so it cannot be folded"};
      q.folded.back() = i;
      continue;
    }
    run.layers.push_back(spec.layers[i]);
    q.original.push_back(i);
    q.folded.push_back(-1);
  }
  auto model = Model::build(run);
  if (!model) return Error{model.error()};
  q.model = std::move(*model);
  Shape3 in = q.model.input_shape();
  for (int r = 0; r < q.model.num_layers(); ++r) {
    const LayerSpec& s = run.layers[r];
    q.qindex.push_back(-1);
    if (const auto* c = s.as<Conv2dParams>()) {
      auto g = c->geometry(in);
      if (!g) return Error{g.error()};
      QuantLayer ql;
      ql.layer = r;
      ql.conv = true;
      ql.g = *g;
      ql.K = g->patch();
      ql.N = c->filters;
      q.qindex.back() = static_cast<int>(q.qlayers.size());
      q.qlayers.push_back(std::move(ql));
    } else if (const auto* d = s.as<DenseParams>()) {
      QuantLayer ql;
      ql.layer = r;
      ql.K = static_cast<int>(in.size());
      ql.N = d->units;
      q.qindex.back() = static_cast<int>(q.qlayers.size());
      q.qlayers.push_back(std::move(ql));
    }
    in = q.model.shape_after(r);
  }
  return q;
}

namespace {

long layer_param_count(const Model& m, int i) {
  long n = 0;
  // A layer's tensors are contiguous from its offset (Model::build).
  for (const TensorInfo& t : m.tensors())
    if (t.name.rfind("layers." + std::to_string(i) + ".", 0) == 0) n += t.size;
  return n;
}

// w (K, N) and b (N) of a conv2d or dense layer, times a following batch norm's inference
// scale, plus its shift: y = gamma (x - mean) / sqrt(var + eps) + beta.
void fold_batchnorm(float* w, float* b, int K, int N, const float* bn, float eps) {
  const float* gamma = bn;
  const float* beta = bn + N;
  const float* mean = bn + 2 * N;
  const float* var = bn + 3 * N;
  for (int j = 0; j < N; ++j) {
    const float scale = gamma[j] / std::sqrt(var[j] + eps);
    for (int k = 0; k < K; ++k) w[static_cast<long>(k) * N + j] *= scale;
    b[j] = (b[j] - mean[j]) * scale + beta[j];
  }
}

// Per output channel: scale = max|w| / 127, q = round(w / scale).
void quantize_weights(QuantLayer& ql, const float* w) {
  ql.weight.resize(static_cast<size_t>(ql.K) * ql.N);
  ql.weight_scale.assign(ql.N, 0.0f);
  for (int k = 0; k < ql.K; ++k)
    for (int j = 0; j < ql.N; ++j) ql.weight_scale[j] = std::max(ql.weight_scale[j], std::fabs(w[static_cast<long>(k) * ql.N + j]));
  for (int j = 0; j < ql.N; ++j) ql.weight_scale[j] = ql.weight_scale[j] > 0 ? ql.weight_scale[j] / 127.0f : 1.0f;
  for (int k = 0; k < ql.K; ++k)
    for (int j = 0; j < ql.N; ++j) {
      const long i = static_cast<long>(k) * ql.N + j;
      const float v = std::nearbyint(w[i] / ql.weight_scale[j]);
      ql.weight[i] = static_cast<int8_t>(std::clamp(v, -127.0f, 127.0f));
    }
}

}  // namespace

Result<QuantizedModel> fold_batch_norms(const Model& model) {
  const ModelSpec& spec = model.spec();
  std::vector<int> fold;
  for (size_t i = 1; i < spec.layers.size(); ++i)
    if (spec.layers[i].is<BatchNormParams>() &&
        (spec.layers[i - 1].is<Conv2dParams>() || spec.layers[i - 1].is<DenseParams>()))
      fold.push_back(static_cast<int>(i));
  auto layout = quantized_layout(spec, fold);
  if (!layout) return Error{layout.error()};
  QuantizedModel q = std::move(*layout);
  for (int r = 0; r < q.model.num_layers(); ++r) {
    const int o = q.original[r];
    const long n = layer_param_count(model, o);
    std::memcpy(q.model.params() + q.model.layer_param_offset(r), model.params() + model.layer_param_offset(o),
                sizeof(float) * n);
    if (q.folded[r] >= 0) {
      const QuantLayer& ql = q.qlayers[q.qindex[r]];
      float* w = q.model.params() + q.model.layer_param_offset(r);
      const float eps = spec.layers[q.folded[r]].as<BatchNormParams>()->eps;
      fold_batchnorm(w, w + static_cast<long>(ql.K) * ql.N, ql.K, ql.N, model.params() + model.layer_param_offset(q.folded[r]), eps);
    }
  }
  return q;
}

Result<QuantizedModel> quantize(const Model& model, const float* calib_pixels, int n_calib) {
  if (n_calib < 1) return Error{"quantisation needs at least one calibration image"};
  // 1. The float parameters, batch norms folded.
  auto folded = fold_batch_norms(model);
  if (!folded) return Error{folded.error()};
  QuantizedModel q = std::move(*folded);

  // 2. Activation ranges: the float (folded) model on the calibration images.
  const int chunk = 50;
  std::vector<float> lo(q.qlayers.size(), 0.0f), hi(q.qlayers.size(), 0.0f);
  {
    Workspace ws(q.model, chunk);
    const long P = q.model.input_shape().size();
    for (int s = 0; s < n_calib; s += chunk) {
      const int m = std::min(chunk, n_calib - s);
      std::memcpy(ws.input(), calib_pixels + s * P, sizeof(float) * m * P);
      ws.forward(q.model, m, /*training=*/false);
      for (size_t l = 0; l < q.qlayers.size(); ++l) {
        const int r = q.qlayers[l].layer;
        const float* x = ws.activation(r);
        const long n = m * (r == 0 ? P : q.model.shape_after(r - 1).size());
        for (long i = 0; i < n; ++i) {
          lo[l] = std::min(lo[l], x[i]);
          hi[l] = std::max(hi[l], x[i]);
        }
      }
    }
  }

  // 3. Scales, int8 weights, and the float model the int8 one stands for.
  for (size_t l = 0; l < q.qlayers.size(); ++l) {
    QuantLayer& ql = q.qlayers[l];
    ql.input_unsigned = lo[l] >= 0.0f;
    const float range = std::max(hi[l], -lo[l]);
    if (!std::isfinite(range)) return Error{"the model's activations are not finite on the calibration images; it cannot be quantised"};
    ql.input_scale = range > 0 ? range / float(ql.q_max()) : 1.0f;
    float* w = q.model.params() + q.model.layer_param_offset(ql.layer);
    quantize_weights(ql, w);
    ql.bias.assign(w + static_cast<long>(ql.K) * ql.N, w + static_cast<long>(ql.K) * ql.N + ql.N);
    for (int k = 0; k < ql.K; ++k)
      for (int j = 0; j < ql.N; ++j) w[static_cast<long>(k) * ql.N + j] = ql.weight[static_cast<long>(k) * ql.N + j] * ql.weight_scale[j];
    ql.prepare();
  }
  return q;
}

}  // namespace dt
