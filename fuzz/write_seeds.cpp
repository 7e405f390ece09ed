// Writes the binary seeds of the fuzz corpora with the project's own writers, so that each seed
// is a real input: small IDX pairs, .safetensors models as `digitrain train --save` writes them
// (with the metadata it adds) but for tiny architectures, and the presets' architecture JSON.
// The text seeds (start configs, argument vectors, worker messages) are written by hand.
//
// usage: fuzz_write_seeds CORPUS_DIR   (the build target `fuzz_seeds` passes fuzz/corpus)
#include <sys/stat.h>

#include <cstdio>
#include <string>
#include <vector>

#include "io/safetensors.h"
#include "quant/quantize.h"
#include "nn/layers/activation_layers.h"
#include "nn/layers/batchnorm_layer.h"
#include "nn/layers/conv2d_layer.h"
#include "nn/layers/dense_layer.h"
#include "nn/layers/dropout_layer.h"
#include "nn/layers/flatten_layer.h"
#include "nn/layers/leaky_relu_layer.h"
#include "nn/layers/pool_layers.h"
#include "nn/layers/standardize_layer.h"
#include "recipe/presets.h"
#include "util/file.h"

namespace dt {
namespace {

std::vector<uint8_t> idx(const std::vector<int>& dims, const std::vector<uint8_t>& data) {
  std::vector<uint8_t> out{0, 0, 0x08, static_cast<uint8_t>(dims.size())};
  for (int d : dims)
    for (int shift = 24; shift >= 0; shift -= 8) out.push_back(static_cast<uint8_t>(d >> shift));
  out.insert(out.end(), data.begin(), data.end());
  return out;
}

// The idx_reader harness's input: the images file's length (2 bytes, little-endian), the
// images file, the labels file.
std::vector<uint8_t> idx_pair(int count, int side) {
  std::vector<uint8_t> pixels, labels;
  for (int i = 0; i < count; ++i) {
    labels.push_back(static_cast<uint8_t>(i % 10));
    for (int y = 0; y < side; ++y)
      for (int x = 0; x < side; ++x) pixels.push_back(static_cast<uint8_t>((x == i % side || y == side / 2) ? 255 : 0));
  }
  const std::vector<uint8_t> images = idx({count, side, side}, pixels);
  std::vector<uint8_t> out{static_cast<uint8_t>(images.size()), static_cast<uint8_t>(images.size() >> 8)};
  out.insert(out.end(), images.begin(), images.end());
  const std::vector<uint8_t> label_file = idx({count}, labels);
  out.insert(out.end(), label_file.begin(), label_file.end());
  return out;
}

// Tiny architectures that between them use every layer kind, padding and stride.
std::vector<std::pair<std::string, ModelSpec>> tiny_models() {
  std::vector<std::pair<std::string, ModelSpec>> models;
  ModelSpec conv;
  conv.height = conv.width = 6;
  conv.layers = {Conv2dParams{2, 3}, ReluParams{}, MaxPoolParams(2), FlattenParams{}, DenseParams{10}};
  models.emplace_back("tiny_conv", conv);
  ModelSpec dense;
  dense.height = dense.width = 4;
  dense.init = Init::he_uniform;
  dense.layers = {StandardizeParams{0.1307f, 0.3081f}, AvgPoolParams(2), FlattenParams{}, DenseParams{6},
                  BatchNormParams{}, LeakyReluParams{}, DropoutParams{0.5f}, DenseParams{10}, SoftmaxParams{}};
  models.emplace_back("tiny_dense", dense);
  ModelSpec strided;
  strided.height = strided.width = 5;
  strided.channels = 2;
  strided.init = Init::pytorch_uniform;
  strided.layers = {Conv2dParams{3, 3, 2, true}, BatchNormParams{}, SigmoidParams{}, MaxPoolParams(2, 1),
                    FlattenParams{}, DenseParams{10}, TanhParams{}};
  models.emplace_back("tiny_strided", strided);
  return models;
}

bool write(const std::string& path, const std::vector<uint8_t>& bytes) {
  Status s = write_file(path, bytes);
  if (!s) std::fprintf(stderr, "%s\n", s.error.c_str());
  return s.ok();
}

bool write_text(const std::string& path, const std::string& text) {
  return write(path, std::vector<uint8_t>(text.begin(), text.end()));
}

}  // namespace
}  // namespace dt

int main(int argc, char** argv) {
  using namespace dt;
  if (argc != 2) {
    std::fprintf(stderr, "usage: fuzz_write_seeds CORPUS_DIR\n");
    return 2;
  }
  const std::string dir = argv[1];
  for (const char* harness : {"idx_reader", "safetensors_reader", "int8_reader", "architecture_json"})
    mkdir((dir + "/" + harness).c_str(), 0755);  // an existing folder is fine
  bool ok = write(dir + "/idx_reader/three_4x4", idx_pair(3, 4)) && write(dir + "/idx_reader/one_28x28", idx_pair(1, 28));
  for (const auto& [name, spec] : tiny_models()) {
    Result<Model> model = Model::build(spec);
    if (!model) {
      std::fprintf(stderr, "%s: %s\n", name.c_str(), model.error().c_str());
      return 1;
    }
    model->initialize(1);
    ok = ok && write(dir + "/safetensors_reader/" + name,
                     save_safetensors(*model, {{"preset", name}, {"dataset", "mnist"}, {"test_accuracy", "0.100000"}}));
    ok = ok && write_text(dir + "/architecture_json/" + name + ".json", to_json(spec));
    // Its int8 model, calibrated on two images (blank and ramp): what `digitrain quantize` writes.
    const long P = model->input_shape().size();
    std::vector<float> calibration(2 * P, 0.0f);
    for (long i = 0; i < P; ++i) calibration[P + i] = static_cast<float>(i) / P;
    Result<QuantizeResult> q = quantize_model(*model, calibration.data(), 2);
    if (!q) {
      std::fprintf(stderr, "%s int8: %s\n", name.c_str(), q.error().c_str());
      return 1;
    }
    ok = ok && write(dir + "/int8_reader/" + name, q->bytes);
  }
  for (const Preset& p : presets()) ok = ok && write_text(dir + "/architecture_json/" + p.name + ".json", to_json(p.model));
  return ok ? 0 : 1;
}
