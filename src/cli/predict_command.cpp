// `digitrain predict`: a saved model's class probabilities for one test image or a PGM file.
#include <algorithm>
#include <cstdio>

#include "cli/args.h"
#include "cli/commands.h"
#include "cli/inputs.h"
#include "cli/output.h"
#include "train/evaluate.h"

namespace dt::cli {

int cmd_predict(const std::vector<std::string>& argv) {
  auto a = Args::parse(argv, {{"model", "index", "pgm", "dataset", "data"}, {"json"}}, "predict");
  if (!a) return usage_error(a.error());
  if (!a->has("model")) return usage_error("predict needs --model FILE.safetensors");
  if (a->has("index") == a->has("pgm")) return usage_error("predict needs one of --index N (a test image) or --pgm FILE");
  auto model = load_model_file(a->get("model"));
  if (!model) return error(model.error());
  DigitInput digit_input;
  if (const int code = read_digit_input(*a, *model, "predict", digit_input)) return code;
  const std::vector<float>& pixels = digit_input.pixels;
  const int truth = digit_input.label;
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
