// `digitrain eval`: a saved model's test-set accuracy, per-class scores and confusion matrix,
// and on request every test image's probabilities as CSV (what another framework's copy of the
// model is checked against, image by image).
#include <cstdio>
#include <optional>
#include <string>

#include "cli/args.h"
#include "cli/commands.h"
#include "cli/inputs.h"
#include "cli/int8_models.h"
#include "cli/output.h"
#include "train/evaluate.h"
#include "metrics/metrics_json.h"
#include "util/file.h"

namespace dt::cli {
namespace {

// One row per image: index, label, predicted class, then each class's probability with nine
// significant digits (enough to read back the same float).
std::vector<uint8_t> predictions_csv(const Dataset& data, const EvalResult& r) {
  const int K = ConfusionMatrix::K;
  std::string out = "index,label,predicted";
  for (int k = 0; k < K; ++k) out += ",p" + std::to_string(k);
  out += "\n";
  char num[32];
  for (int i = 0; i < data.count; ++i) {
    out += std::to_string(i) + "," + std::to_string(data.labels[i]) + "," + std::to_string(r.predicted[i]);
    for (int k = 0; k < K; ++k) {
      std::snprintf(num, sizeof num, ",%.9g", r.probabilities[static_cast<size_t>(i) * K + k]);
      out += num;
    }
    out += "\n";
  }
  return {out.begin(), out.end()};
}

}  // namespace

int cmd_eval(const std::vector<std::string>& argv) {
  auto a = Args::parse(argv, {{"model", "dataset", "data", "threads", "predictions"}, {"json"}}, "eval");
  if (!a) return usage_error(a.error());
  if (!a->has("model")) return usage_error("eval needs --model FILE.safetensors");
  auto threads = a->integer("threads", 0);
  if (!threads) return usage_error(threads.error());
  // The same bound as training: asking the system for thousands of threads ends the process.
  if (*threads < 0 || *threads > 256) return usage_error("--threads must be between 0 (all) and 256");
  const std::string predictions_path = a->get("predictions");
  if (a->has("predictions"))
    if (Status s = check_writable(predictions_path); !s) return error("--predictions " + s.error);
  // A float model, or an int8 one made by `quantize` (evaluated on one thread).
  auto loaded = load_any_model_file(a->get("model"));
  if (!loaded) return error(loaded.error());
  const std::optional<Model>& model = loaded->float_model;
  const std::optional<QuantizedModel>& int8 = loaded->int8;
  auto data = load_data(*a);
  if (!data) return error(data.error());
  const Shape3 in = loaded->runtime().input_shape();
  if (in.h != data->test.height || in.w != data->test.width || in.c != 1)
    return error(a->get("model") + ": the model expects " + std::to_string(in.h) + "x" + std::to_string(in.w) + "x" +
                 std::to_string(in.c) + " inputs but the test images are " + std::to_string(data->test.height) + "x" +
                 std::to_string(data->test.width) + "x1; evaluate it on the kind of images it was trained on");
  const EvalResult r = int8 ? evaluate_int8(*int8, data->test) : Evaluator(*model, static_cast<int>(*threads)).run(data->test);
  if (a->has("predictions"))
    if (Status s = write_file(predictions_path, predictions_csv(data->test, r)); !s) return error("--predictions " + s.error);
  if (a->has("json"))
    print_json({{"event", "eval"}, {"test_accuracy", r.accuracy()}, {"test_loss", r.loss},
                {"macro_f1", r.confusion.macro_f1()}, {"kappa", r.confusion.cohen_kappa()},
                {"per_class", per_class_json(r.confusion)}, {"confusion", confusion_json(r.confusion)}});
  else
    print_test_report(r);
  return 0;
}

}  // namespace dt::cli
