// `digitrain predict`: a saved model's class probabilities for one test image or a PGM file.
#include <algorithm>
#include <cctype>
#include <cstdio>

#include "cli/args.h"
#include "cli/commands.h"
#include "cli/inputs.h"
#include "cli/output.h"
#include "data/augment.h"
#include "train/evaluate.h"
#include "util/digit_shape.h"
#include "util/file.h"

namespace dt::cli {

namespace {
// A binary PGM (P5) of 28x28 8-bit pixels, white digit on black as in MNIST.
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
}  // namespace

int cmd_predict(const std::vector<std::string>& argv) {
  auto a = Args::parse(argv, {{"model", "index", "pgm", "dataset", "data"}, {"json"}}, "predict");
  if (!a) return usage_error(a.error());
  if (!a->has("model")) return usage_error("predict needs --model FILE.safetensors");
  if (a->has("index") == a->has("pgm")) return usage_error("predict needs one of --index N (a test image) or --pgm FILE");
  auto model = load_model_file(a->get("model"));
  if (!model) return error(model.error());
  // Checked before reading any image: both kinds of input are 28x28 single-channel.
  const Shape3 in = model->input_shape();
  const std::string side = std::to_string(kDigitSide);
  if (in.h != kDigitSide || in.w != kDigitSide || in.c != 1)
    return error(a->get("model") + ": the model takes " + std::to_string(in.h) + "x" + std::to_string(in.w) + "x" +
                 std::to_string(in.c) + " inputs; predict needs a model for " + side + "x" + side +
                 " single-channel digits");
  std::vector<float> pixels(kDigitPixels);
  int truth = -1;
  if (a->has("pgm")) {
    auto px = read_pgm(a->get("pgm"));
    if (!px) return error(px.error());
    pixels = *px;
  } else {
    auto index = a->integer("index", 0);
    if (!index) return usage_error(index.error());
    auto data = load_data(*a);
    if (!data) return error(data.error());
    if (*index < 0 || *index >= data->test.count)
      return usage_error("--index must be between 0 and " + std::to_string(data->test.count - 1));
    // Other-sized images would be read past their end as 28x28.
    if (data->test.height != kDigitSide || data->test.width != kDigitSide)
      return error("the test images are " + std::to_string(data->test.height) + "x" + std::to_string(data->test.width) +
                   ", predict needs " + side + "x" + side);
    // The conversion eval and training use, so a test image is classified exactly as there.
    load_sample(pixels.data(), data->test.image(static_cast<int>(*index)), kDigitSide, kDigitSide, Augment{}, nullptr);
    truth = data->test.labels[*index];
  }
  Evaluator ev(*model, 1, 1);
  std::vector<float> probs(model->classes());
  ev.predict(probs.data(), pixels.data(), 1);
  const int digit = static_cast<int>(std::max_element(probs.begin(), probs.end()) - probs.begin());
  if (a->has("json")) {
    nlohmann::json j{{"event", "predict"}, {"digit", digit}, {"probabilities", probs}};
    if (truth >= 0) j["label"] = truth;
    print_json(j);
  } else {
    std::printf("digit %d (%.1f%%)%s\n", digit, 100 * probs[digit],
                truth >= 0 ? (" label " + std::to_string(truth)).c_str() : "");
    for (int k = 0; k < static_cast<int>(probs.size()); ++k) std::printf("  %d  %6.2f%%\n", k, 100 * probs[k]);
  }
  return 0;
}

}  // namespace dt::cli
