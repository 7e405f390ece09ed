#include "app/inference.h"

#include <algorithm>

#include "io/safetensors.h"
#include "nn/predict.h"
#include "recipe/presets.h"
#include "util/digit_shape.h"

namespace dt {

Inference::Inference() {
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
  if (!same_architecture) ws_ = std::make_unique<Workspace>(*model_, 1);
  ++version_;
  return Status::success();
}

Prediction Inference::predict(const float* pixels) {
  Prediction p;
  predict_probs(p.probabilities.data(), *model_, *ws_, pixels, 1);
  p.digit = static_cast<int>(std::max_element(p.probabilities.begin(), p.probabilities.end()) - p.probabilities.begin());
  return p;
}

}  // namespace dt
