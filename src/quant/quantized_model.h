// A model for int8 inference, made from a trained float model (post-training quantisation).
//
// Scheme (what deployment quantisers do, kept simple):
// - A batch norm that directly follows a conv2d or dense layer is folded into it first (its
//   inference-mode scale and shift multiply the weights' output channels and join the bias),
//   which is exact in float and leaves one fewer layer to run.
// - Weights: int8, symmetric, one scale per output channel: w ~ weight_scale[oc] * q with
//   weight_scale = max|w[:, oc]| / 127, q in [-127, 127].
// - Activations entering a conv2d or dense layer: one scale per layer, calibrated on a few
//   hundred training images run through the float model. When no calibration image makes the
//   input negative (pixels, or the output of a ReLU, as in every preset), it is uint8 in
//   [0, 255] with scale max / 255: twice the resolution of symmetric int8 for the same range;
//   otherwise symmetric int8 in [-127, 127] with scale max|x| / 127. Zero is exact in both, so
//   the padding of 'same' convolutions and im2col's zero taps stay zero.
// - A layer runs as im2col (for conv2d) on floats, quantisation of its input, an int8 GEMM
//   with exact int32 sums (kernels/gemm_int8.h), and dequantisation:
//   out = acc * input_scale * weight_scale[oc] + bias[oc].
// - Every other layer (activations, pooling, standardize, flatten, dropout as the identity, a
//   batch norm that cannot be folded) runs in float, as in the float model.
#pragma once
#include <cstdint>
#include <vector>

#include "kernels/gemm_int8.h"
#include "kernels/im2col.h"
#include "nn/model.h"
#include "util/result.h"

namespace dt {

// One conv2d or dense layer in int8.
struct QuantLayer {
  int layer = 0;               // its index in QuantizedModel::model
  bool conv = false;
  ConvGeometry g{};            // conv2d only
  int K = 0, N = 0;            // inputs per output (conv: the patch KH*KW*C) and outputs (channels)
  float input_scale = 1.0f;    // x ~ input_scale * q
  bool input_unsigned = false; // q in [0, 255] (the input is never negative), else [-127, 127]
  std::vector<int8_t> weight;        // (K, N): the float layer's weight layout
  std::vector<float> weight_scale;   // (N)
  std::vector<float> bias;           // (N), with a folded batch norm's shift
  // Derived from the above by prepare():
  PackedB8 packed;                   // weight packed for the GEMM
  std::vector<float> out_scale;      // (N) input_scale * weight_scale
  void prepare();
  int q_min() const { return input_unsigned ? 0 : -127; }
  int q_max() const { return input_unsigned ? 255 : 127; }
};

struct QuantizedModel {
  ModelSpec spec;                // the float model's architecture as trained, batch norms included
  // What runs: spec without the folded batch norms. Its float parameters are the float
  // model's, with the folded batch norms applied, and, for the int8 layers, the dequantised
  // weights (the float model the int8 one stands for).
  Model model;
  std::vector<int> original;     // (model layers) each layer's index in spec
  std::vector<int> folded;       // (model layers) the index in spec of the batch norm folded into it, or -1
  std::vector<QuantLayer> qlayers;
  std::vector<int> qindex;       // (model layers) index into qlayers, or -1 (runs in float)
};

// The runtime layout for `spec` with the batch norms at `fold` (indices in spec, each right
// after a conv2d or dense layer) folded away: spec, model (parameters zero), original, folded,
// qindex (every conv2d and dense layer, in order) and qlayers (geometry and sizes only).
Result<QuantizedModel> quantized_layout(const ModelSpec& spec, const std::vector<int>& fold);

// Step 1 of quantize(): the layout with every batch norm that directly follows a conv2d or
// dense layer folded into it, and `model`'s float parameters so folded (qlayers: sizes only).
// Its model computes what `model` computes in inference, up to rounding.
Result<QuantizedModel> fold_batch_norms(const Model& model);

// The int8 model of `model`, calibrated on `n_calib` images (n_calib, H*W*C) as the float
// model sees them (floats in [0, 1]); n_calib >= 1.
Result<QuantizedModel> quantize(const Model& model, const float* calib_pixels, int n_calib);

}  // namespace dt
