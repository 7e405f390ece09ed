// Quantising a saved model, for the CLI (`digitrain quantize`) and the browser worker: one
// call from a float model and calibration images to the int8 model and its file's bytes.
//
//   auto model = load_safetensors(bytes, size, "model.safetensors");
//   std::vector<float> calib = ...;  // n images as the model sees them (data/augment.h's
//                                    // load_sample without augmentation), e.g. the training
//                                    // images at calibration_indices(500, train.count, seed)
//   auto r = quantize_model(*model, calib.data(), n);
//   if (!r) show(r.error());
//   else save(r->bytes);             // an int8 .safetensors file (quant/quantized_file.h)
//
// Then load_quantized() reads such a file back and predict_probs_int8() (quant/predict_int8.h)
// answers with it as predict_probs does with the float model.
#pragma once
#include <cstdint>
#include <vector>

#include "quant/quantized_model.h"
#include "util/result.h"

namespace dt {

struct QuantizeResult {
  QuantizedModel model;
  std::vector<uint8_t> bytes;  // the int8 file
};

// The int8 model of `model`, calibrated on n_calib images (n_calib, H*W*C), and its file.
// Fails (with a message for the user) when n_calib < 1 or the activations are not finite.
Result<QuantizeResult> quantize_model(const Model& model, const float* calib_pixels, int n_calib);

// `count` distinct indices in [0, n), reproducible from `seed` (all of them when count >= n),
// in increasing order: which training images calibrate.
std::vector<int> calibration_indices(int count, int n, uint64_t seed);

}  // namespace dt
