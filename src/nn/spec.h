// What a model *is*, as data: the input shape, the initialiser and an ordered list of layers
// (each a kind with its own parameters, nn/layer_spec.h). A ModelSpec is what presets define,
// what the CLI prints, and what a saved .safetensors file carries as JSON in its __metadata__,
// so that loading rebuilds the same architecture.
#pragma once
#include <string>
#include <vector>

#include "nn/init.h"
#include "nn/layer.h"
#include "nn/layer_spec.h"
#include "util/digit_shape.h"
#include "util/result.h"

namespace dt {

struct ModelSpec {
  int height = kDigitSide, width = kDigitSide, channels = 1;
  Init init = Init::glorot_uniform;
  std::vector<LayerSpec> layers;
};

std::string describe(const LayerSpec& layer);  // e.g. "conv2d 32 3x3 valid"
std::string shape_text(const Shape3& s);        // "26x26x32": height x width x channels
std::string describe(const ModelSpec& spec);   // layers joined by ", "

// The number of parameters `spec` has, worked out layer by layer before anything is allocated
// (so that an edited "units": 1000000000 is an error, not an abort out of memory). Fails at the
// first layer that does not build for its input, whose outputs pass 2^24 values per image, or
// where the count passes `limit`; the message names the layer.
Result<uint64_t> count_parameters(const ModelSpec& spec, uint64_t limit);

// JSON round trip (the architecture stored in saved models). Every layer kind in the
// registry (nn/layer_registry.h) reads and writes its own fields.
std::string to_json(const ModelSpec& spec);
Result<ModelSpec> model_spec_from_json(const std::string& json);

}  // namespace dt
