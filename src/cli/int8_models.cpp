#include "cli/int8_models.h"

#include <algorithm>
#include <cmath>

#include "data/augment.h"
#include "quant/predict_int8.h"
#include "quant/quantized_file.h"
#include "util/file.h"

namespace dt::cli {

bool is_int8_model_file(const std::string& path) {
  auto bytes = read_file(path);
  return bytes && is_quantized_file(bytes->data(), bytes->size());
}

Result<QuantizedModel> load_int8_model_file(const std::string& path) {
  auto bytes = read_file(path);
  if (!bytes) return Error{bytes.error()};
  return load_quantized(bytes->data(), bytes->size(), path);
}

EvalResult evaluate_int8(const QuantizedModel& q, const Dataset& data) {
  const int chunk = 256, K = q.model.classes();
  const long P = q.model.input_shape().size();
  QuantWorkspace ws(q, chunk);
  std::vector<float> px(static_cast<size_t>(chunk) * P);
  EvalResult r;
  r.predicted.resize(data.count);
  r.probabilities.resize(static_cast<size_t>(data.count) * K);
  double loss = 0;
  for (int s = 0; s < data.count; s += chunk) {
    const int n = std::min(chunk, data.count - s);
    for (int i = 0; i < n; ++i) load_sample(px.data() + i * P, data.image(s + i), data.height, data.width, Augment{}, nullptr);
    float* probs = r.probabilities.data() + static_cast<size_t>(s) * K;
    predict_probs_int8(probs, q, ws, px.data(), n);
    for (int i = 0; i < n; ++i) {
      const float* p = probs + static_cast<long>(i) * K;
      const int y = data.labels[s + i];
      const int guess = static_cast<int>(std::max_element(p, p + K) - p);
      r.predicted[s + i] = static_cast<uint8_t>(guess);
      r.confusion.add(y, guess);
      loss -= std::log(std::max(p[y], 1e-30f));
    }
  }
  r.loss = data.count ? loss / data.count : 0.0;
  return r;
}

}  // namespace dt::cli
