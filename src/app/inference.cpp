#include "app/inference.h"

#include <algorithm>

#include "io/safetensors.h"
#include "nn/predict.h"
#include "quant/quantized_file.h"
#include "recipe/presets.h"
#include "util/digit_shape.h"

namespace dt {

namespace {
// Occluded images per forward. Batches of 1, 8, 16, 32 and 64 measured within noise of each
// other natively (even one image gives the convolutions hundreds of rows): 8 keeps the
// workspace near 5 MB of the page's memory for keras-cnn.
constexpr int kAttributionBatch = 8;
}  // namespace

Inference::Inference() : latest_pixels_(kDigitPixels, 0.0f) {
  // The default preset, freshly initialised: Inspect shows its initial filters; the pad says
  // it has no guess until a run's weights arrive (trained()).
  Result<Preset> preset = find_preset("keras-cnn");
  Result<Model> model = Model::build(preset->model);
  model_ = std::make_unique<Model>(std::move(*model));
  model_->initialize(1);
  ws_ = std::make_unique<Workspace>(*model_, 1);
}

Status Inference::set_weights(const uint8_t* bytes, size_t size) {
  Result<Model> model = load_safetensors(bytes, size, "weight snapshot");
  if (!model) return fail(model.error());
  if (model->input_shape().size() != kDigitPixels || model->classes() != kClasses)
    return fail("weight snapshot: the model must take 28x28 images and give 10 classes");
  const bool same_architecture = to_json(model->spec()) == to_json(model_->spec());
  model_ = std::make_unique<Model>(std::move(*model));
  if (!same_architecture) {
    ws_ = std::make_unique<Workspace>(*model_, 1);
    attribution_ws_.reset();  // sized for the old layers
  }
  int8_.reset();  // made from the weights just replaced
  int8_ws_.reset();
  ++version_;
  return Status::success();
}

Status Inference::set_int8(const uint8_t* bytes, size_t size) {
  Result<QuantizedModel> q = load_quantized(bytes, size, "int8 model");
  if (!q) return fail(q.error());
  // Made from these weights: the same layers (the file keeps the float architecture).
  if (to_json(q->spec) != to_json(model_->spec()))
    return fail("int8 model: its layers are not those of the model on the pad; quantise the current weights again");
  int8_ = std::make_unique<QuantizedModel>(std::move(*q));
  int8_ws_ = std::make_unique<QuantWorkspace>(*int8_, 1);
  return Status::success();
}

Prediction Inference::predict_int8() {
  Prediction p;
  predict_probs_int8(p.probabilities.data(), *int8_, *int8_ws_, latest_pixels_.data(), 1);
  p.digit = static_cast<int>(std::max_element(p.probabilities.begin(), p.probabilities.end()) - p.probabilities.begin());
  return p;
}

Prediction Inference::predict(const float* pixels) {
  latest_pixels_.assign(pixels, pixels + kDigitPixels);
  Prediction p;
  predict_probs(p.probabilities.data(), *model_, *ws_, pixels, 1);
  p.digit = static_cast<int>(std::max_element(p.probabilities.begin(), p.probabilities.end()) - p.probabilities.begin());
  return p;
}

Result<std::vector<float>> Inference::attribution(int k, AttributionMethod method, OcclusionPatch patch) {
  if (k < 0 || k >= model_->classes())
    return Error{"class " + std::to_string(k) + " is not one of the model's 0 to " + std::to_string(model_->classes() - 1)};
  if (!attribution_ws_) attribution_ws_ = std::make_unique<Workspace>(*model_, kAttributionBatch);
  return dt::attribution(*model_, *attribution_ws_, latest_pixels_.data(), k, method, patch);
}

}  // namespace dt
