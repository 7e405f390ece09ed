// `digitrain predict`: a saved model's class probabilities for one test image or a PGM file.
#include <algorithm>
#include <cstdio>
#include <optional>

#include "cli/args.h"
#include "cli/commands.h"
#include "cli/inputs.h"
#include "cli/int8_models.h"
#include "cli/output.h"
#include "quant/predict_int8.h"
#include "train/evaluate.h"

namespace dt::cli {

int cmd_predict(const std::vector<std::string>& argv) {
  auto a = Args::parse(argv, {{"model", "index", "pgm", "dataset", "data"}, {"json"}}, "predict");
  if (!a) return usage_error(a.error());
  if (!a->has("model")) return usage_error("predict needs --model FILE.safetensors");
  if (a->has("index") == a->has("pgm")) return usage_error("predict needs one of --index N (a test image) or --pgm FILE");
  // A float model, or an int8 one made by `quantize`.
  auto loaded = load_any_model_file(a->get("model"));
  if (!loaded) return error(loaded.error());
  const std::optional<Model>& model = loaded->float_model;
  const std::optional<QuantizedModel>& int8 = loaded->int8;
  DigitInput digit_input;
  if (const int code = read_digit_input(*a, loaded->runtime(), "predict", digit_input)) return code;
  const std::vector<float>& pixels = digit_input.pixels;
  const int truth = digit_input.label;
  std::vector<float> probs(loaded->runtime().classes());
  if (int8) {
    QuantWorkspace ws(*int8, 1);
    predict_probs_int8(probs.data(), *int8, ws, pixels.data(), 1);
  } else {
    Evaluator ev(*model, 1, 1);
    ev.predict(probs.data(), pixels.data(), 1);
  }
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
