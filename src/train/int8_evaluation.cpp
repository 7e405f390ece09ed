#include "train/int8_evaluation.h"

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "data/augment.h"
#include "nn/spec.h"
#include "quant/predict_int8.h"

namespace dt {

Result<QuantizeResult> quantize_on(const Model& model, const Dataset& train, int calibration, uint64_t seed) {
  const Shape3 in = model.input_shape();
  if (in.h != train.height || in.w != train.width || in.c != 1)
    return Error{"the model expects " + shape_text(in) + " inputs but the images are " + std::to_string(train.height) +
                 "x" + std::to_string(train.width) + "x1; quantise it with the kind of images it was trained on"};
  const long P = in.size();
  const std::vector<int> indices = calibration_indices(calibration, train.count, seed);
  std::vector<float> pixels(indices.size() * P);
  for (size_t i = 0; i < indices.size(); ++i)
    load_sample(pixels.data() + i * P, train.image(indices[i]), train.height, train.width, Augment{}, nullptr);
  return quantize_model(model, pixels.data(), static_cast<int>(indices.size()));
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

}  // namespace dt
