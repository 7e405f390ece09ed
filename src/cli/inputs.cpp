#include "cli/inputs.h"

#include <cctype>

#include "cli/output.h"
#include "data/augment.h"
#include "io/safetensors.h"
#include "util/digit_shape.h"
#include "util/file.h"

namespace dt::cli {

namespace {
Result<std::string> data_dir(const Args& a) {
  if (a.has("data")) return a.get("data");
  const std::string dataset = a.get("dataset", "mnist");
  if (dataset == "mnist") return std::string(DT_DEFAULT_MNIST_DIR);
  if (dataset == "fashion") return std::string(DT_DEFAULT_FASHION_DIR);
  return Error{"--dataset must be mnist or fashion, not '" + dataset + "'"};
}
}  // namespace

Result<TrainTest> load_data(const Args& a) {
  auto dir = data_dir(a);
  if (!dir) return Error{dir.error()};
  auto data = load_mnist_dir(*dir);
  // The library says what is wrong with the files; how to fix it is the CLI's to say.
  if (!data) return Error{data.error() + "; point --data at a folder with the four MNIST idx files (`make setup` installs MNIST)"};
  return data;
}

Result<Model> load_model_file(const std::string& path) {
  if (path.empty()) return Error{"--model FILE is required"};
  auto bytes = read_file(path);
  if (!bytes) return Error{bytes.error()};
  return load_safetensors(bytes->data(), bytes->size(), path);
}

Result<std::vector<float>> read_pgm(const std::string& path) {
  auto bytes = read_file(path);
  if (!bytes) return Error{bytes.error()};
  const auto& b = *bytes;
  size_t i = 0;
  auto token = [&]() -> std::string {
    while (i < b.size()) {
      if (b[i] == '#')
        while (i < b.size() && b[i] != '\n') ++i;
      else if (std::isspace(b[i]))
        ++i;
      else
        break;
    }
    std::string t;
    while (i < b.size() && !std::isspace(b[i]) && t.size() < 16) t.push_back(static_cast<char>(b[i++]));
    return t;
  };
  const std::string side = std::to_string(kDigitSide);
  const std::string magic = token(), w = token(), h = token(), maxv = token();
  if (magic != "P5" || w != side || h != side || maxv != "255" || i >= b.size())
    return Error{path + ": expected a binary PGM (P5) of " + side + "x" + side + " pixels with maxval 255"};
  ++i;  // the single whitespace after maxval
  if (b.size() - i != kDigitPixels)
    return Error{path + ": PGM pixel data is " + std::to_string(b.size() - i) + " bytes, expected " +
                 std::to_string(kDigitPixels)};
  std::vector<float> px(kDigitPixels);
  for (int k = 0; k < kDigitPixels; ++k) px[k] = b[i + k] / 255.0f;
  return px;
}

int read_digit_input(const Args& a, const Model& model, const std::string& command, DigitInput& out) {
  if (a.has("index") == a.has("pgm"))
    return usage_error(command + " needs one of --index N (a test image) or --pgm FILE");
  // Checked before reading any image: both kinds of input are 28x28 single-channel.
  const Shape3 in = model.input_shape();
  const std::string side = std::to_string(kDigitSide);
  if (in.h != kDigitSide || in.w != kDigitSide || in.c != 1)
    return error(a.get("model") + ": the model takes " + std::to_string(in.h) + "x" + std::to_string(in.w) + "x" +
                 std::to_string(in.c) + " inputs; " + command + " needs a model for " + side + "x" + side +
                 " single-channel digits");
  out.pixels.assign(kDigitPixels, 0.0f);
  out.label = -1;
  if (a.has("pgm")) {
    auto px = read_pgm(a.get("pgm"));
    if (!px) return error(px.error());
    out.pixels = *px;
    return 0;
  }
  auto index = a.integer("index", 0);
  if (!index) return usage_error(index.error());
  auto data = load_data(a);
  if (!data) return error(data.error());
  if (*index < 0 || *index >= data->test.count)
    return usage_error("--index must be between 0 and " + std::to_string(data->test.count - 1));
  // Other-sized images would be read past their end as 28x28.
  if (data->test.height != kDigitSide || data->test.width != kDigitSide)
    return error("the test images are " + std::to_string(data->test.height) + "x" + std::to_string(data->test.width) +
                 ", " + command + " needs " + side + "x" + side);
  // The conversion eval and training use, so a test image is classified exactly as there.
  load_sample(out.pixels.data(), data->test.image(static_cast<int>(*index)), kDigitSide, kDigitSide, Augment{}, nullptr);
  out.label = data->test.labels[*index];
  return 0;
}

}  // namespace dt::cli
