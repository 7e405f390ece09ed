// The page's own copy of the network, for the drawing pad and the Inspect panel: it starts as
// an untrained keras-cnn and takes every weight snapshot the worker sends, so the guess
// follows training without ever asking the worker. Inference only; nothing here trains (the
// attribution maps run a backward of the inference function, for the input's gradient).
#pragma once
#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "nn/attribution.h"
#include "nn/model.h"
#include "quant/predict_int8.h"
#include "quant/quantized_model.h"
#include "util/result.h"

namespace dt {

struct Prediction {
  int digit = 0;
  std::array<float, 10> probabilities{};
};

class Inference {
 public:
  Inference();
  // Replaces the model with the one a .safetensors snapshot describes.
  Status set_weights(const uint8_t* bytes, size_t size);
  // pixels (28*28) floats in [0,1]; also keeps every layer's activations for feature maps.
  Prediction predict(const float* pixels);
  const Model& model() const { return *model_; }
  // Activations after layer i for the latest predict(): shape model().shape_after(i).
  const float* activation_after(int layer) const { return ws_->activation(layer + 1); }
  // Why the network gives the latest predict()'s image (all background before the first)
  // class k: 28*28 signed values, positive for evidence for k (nn/attribution.h). Runs on a
  // workspace of its own, so activation_after() keeps showing the predicted image. Costs one
  // forward and backward (gradient) or a forward per patch, in batches (occlusion: up to 576
  // with the default 5x5 patch at stride 1, 169 at stride 2).
  Result<std::vector<float>> attribution(int k, AttributionMethod method, OcclusionPatch patch = {});
  // The int8 twin of the current weights (the Quantise button's file, quant/): the pad then
  // also answers with it, so a person sees what quantisation changes. New weights drop it,
  // since it was made from the old ones.
  Status set_int8(const uint8_t* bytes, size_t size);
  bool has_int8() const { return int8_ != nullptr; }
  // The int8 model's answer for the latest predict()'s image; only with has_int8().
  Prediction predict_int8();
  unsigned version() const { return version_; }  // bumped when the weights change
  bool trained() const { return version_ > 0; }   // holds weights from a run, not its initial ones

 private:
  std::unique_ptr<Model> model_;
  std::unique_ptr<Workspace> ws_;
  std::unique_ptr<Workspace> attribution_ws_;  // made on first use, for the model it was made for
  std::vector<float> latest_pixels_;           // the latest predict()'s image
  std::unique_ptr<QuantizedModel> int8_;       // made from the current weights, or none
  std::unique_ptr<QuantWorkspace> int8_ws_;
  unsigned version_ = 0;
};

}  // namespace dt
