// Inference with an int8 model: class probabilities as nn/predict.h's predict_probs gives
// them for a float model. Single-threaded; the workspace is allocated once, and a call
// allocates nothing.
#pragma once
#include <cstdint>
#include <vector>

#include "quant/quantized_model.h"
#include "util/aligned_buffer.h"

namespace dt {

// The buffers one call needs for up to max_n images at a time.
class QuantWorkspace {
 public:
  QuantWorkspace(const QuantizedModel& q, int max_n);
  int max_n() const { return max_n_; }

  // Runs every layer on n <= max_n images (n, H*W*C); returns the outputs (n, classes), valid
  // until the next call.
  const float* forward(const QuantizedModel& q, const float* pixels, int n);

 private:
  int max_n_;
  AlignedBuffer acts_[2];         // ping-pong layer outputs (max_n, largest layer output)
  AlignedBuffer col_;             // im2col of a conv2d's input (max_n*OH*OW, patch), floats
  std::vector<int16_t> qin_;      // that, or a dense layer's input, quantised
  std::vector<int32_t> acc_;      // the GEMM's sums (rows, outputs)
  AlignedBuffer saved_, scratch_; // for the layers that run in float
};

// probs (n, classes) = softmax of the int8 model's outputs for pixels (n, H*W*C), floats in
// [0, 1]; in chunks of ws.max_n() images.
void predict_probs_int8(float* probs, const QuantizedModel& q, QuantWorkspace& ws, const float* pixels, int n);

}  // namespace dt
