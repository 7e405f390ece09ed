// Inference on images: class probabilities from a model's outputs. No dropout, batch norm on
// its running statistics. The page's UI (which never trains) and evaluation both use it.
#pragma once
#include "nn/model.h"

namespace dt {

// probs (n, classes) = softmax of the model's outputs for pixels (n, H*W*C), floats in [0,1];
// in chunks of ws.max_n() samples.
void predict_probs(float* probs, const Model& model, Workspace& ws, const float* pixels, int n);

}  // namespace dt
