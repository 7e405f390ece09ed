// What a model *is*, as data: the input shape and an ordered list of layer descriptions.
// A ModelSpec is what presets define, what the CLI prints, and what a saved .safetensors file
// carries as JSON in its __metadata__, so that loading rebuilds the same architecture.
#pragma once
#include <string>
#include <vector>

#include "util/digit_shape.h"
#include "util/result.h"

namespace dt {

enum class LayerKind {
  conv2d, maxpool, avgpool, dense, flatten, dropout, batchnorm, relu, leaky_relu, sigmoid, tanh, softmax, standardize
};

struct LayerSpec {
  LayerKind kind = LayerKind::relu;
  int units = 0;        // conv2d: output channels; dense: output units
  int kernel = 0;       // conv2d: kernel size; pools: window size
  int stride = 1;       // conv2d and pools (pools default to their window)
  bool same = false;    // conv2d padding: 'same' (true) or 'valid'
  float rate = 0.0f;    // dropout: fraction dropped
  float alpha = 0.01f;  // leaky_relu: negative slope
  float eps = 1e-3f;    // batchnorm: variance epsilon (Keras default)
  float momentum = 0.99f;  // batchnorm: running-average momentum (Keras default)
  float mean = 0.0f, std = 1.0f;  // standardize: y = (x - mean) / std (e.g. MNIST's 0.1307, 0.3081)
};

// glorot_uniform is Keras' default; pytorch_uniform is PyTorch's for Linear and Conv2d
// (weights and biases uniform in +-1/sqrt(fan_in)).
enum class Init { glorot_uniform, he_uniform, he_normal, pytorch_uniform };

struct ModelSpec {
  int height = kDigitSide, width = kDigitSide, channels = 1;
  Init init = Init::glorot_uniform;
  std::vector<LayerSpec> layers;
};

// A layer of `kind` with its sizes: units (conv2d filters, dense units) and kernel (conv2d
// kernel, pool window; pools stride by their window, as in JSON). Other fields keep their
// defaults. Presets and tests write architectures with it.
LayerSpec layer_spec(LayerKind kind, int units = 0, int kernel = 0);

// Names as written in JSON and shown to users ("conv2d", "maxpool", ...).
const char* layer_kind_name(LayerKind kind);
Result<LayerKind> parse_layer_kind(const std::string& name);
const char* init_name(Init init);
Result<Init> parse_init(const std::string& name);

// One short human line per layer, e.g. "conv2d 32 3x3 valid".
std::string describe(const LayerSpec& layer);
std::string describe(const ModelSpec& spec);  // layers joined by ", "

// JSON round trip (the architecture stored in saved models).
std::string to_json(const ModelSpec& spec);
Result<ModelSpec> model_spec_from_json(const std::string& json);

}  // namespace dt
