// The page's own copy of the network, for the drawing pad and the Inspect panel: it starts as
// an untrained keras-cnn and takes every weight snapshot the worker sends, so the guess
// follows training without ever asking the worker. Inference only; nothing here trains.
#pragma once
#include <array>
#include <cstdint>
#include <memory>
#include <string>

#include "nn/model.h"
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
  unsigned version() const { return version_; }  // bumped when the weights change
  bool trained() const { return version_ > 0; }   // holds weights from a run, not its initial ones

 private:
  std::unique_ptr<Model> model_;
  std::unique_ptr<Workspace> ws_;
  unsigned version_ = 0;
};

}  // namespace dt
