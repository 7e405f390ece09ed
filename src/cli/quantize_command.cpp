// `digitrain quantize`: a float model to an int8 one (quant/), calibrated on training images,
// with what it costs and what it buys: test accuracy before and after, file sizes, and
// single-threaded inference speed for a batch and for one image.
#include <algorithm>
#include <cstdio>
#include <optional>

#include "cli/args.h"
#include "cli/commands.h"
#include "cli/inputs.h"
#include "cli/int8_models.h"
#include "cli/output.h"
#include "data/augment.h"
#include "io/safetensors.h"
#include "nn/predict.h"
#include "quant/predict_int8.h"
#include "quant/quantize.h"
#include "quant/quantized_file.h"
#include "util/file.h"
#include "util/stopwatch.h"

namespace dt::cli {
namespace {

struct Speed {
  double batch_images_per_s = 0;  // a batch of kBatch images at once
  double one_image_us = 0;        // one image per call
};
constexpr int kBatch = 256;

// Single-threaded speed of `predict` (probs, pixels, n) on test images.
template <class Predict>
Speed measure(const std::vector<float>& px, int classes, Predict&& predict) {
  std::vector<float> probs(static_cast<size_t>(kBatch) * classes);
  Speed s;
  s.batch_images_per_s = kBatch / best_seconds(1, 5, [&] { predict(probs.data(), px.data(), kBatch); });
  const int ones = 100;
  s.one_image_us = best_seconds(1, 5, [&] {
                     for (int i = 0; i < ones; ++i) predict(probs.data(), px.data() + i * (px.size() / kBatch), 1);
                   }) / ones * 1e6;
  return s;
}

}  // namespace

int cmd_quantize(const std::vector<std::string>& argv) {
  auto a = Args::parse(argv, {{"model", "out", "calibration", "seed", "dataset", "data"}, {"json"}}, "quantize");
  if (!a) return usage_error(a.error());
  if (!a->has("model")) return usage_error("quantize needs --model FILE.safetensors (a float model saved by train --save)");
  if (!a->has("out")) return usage_error("quantize needs --out FILE.safetensors (where the int8 model goes)");
  auto calibration = a->integer("calibration", 500);
  if (!calibration) return usage_error(calibration.error());
  if (*calibration < 1 || *calibration > 60000) return usage_error("--calibration must be between 1 and 60000 training images");
  auto seed = a->integer("seed", 1);
  if (!seed) return usage_error(seed.error());
  const std::string model_path = a->get("model"), out_path = a->get("out");
  if (Status s = check_writable(out_path); !s) return error("--out " + s.error);
  auto loaded = load_any_model_file(model_path);
  if (!loaded) return error(loaded.error());
  if (loaded->int8) return error(model_path + " is already an int8 model; quantize reads the float model it was made from");
  const std::optional<Model>& model = loaded->float_model;
  auto data = load_data(*a);
  if (!data) return error(data.error());
  const long P = model->input_shape().size();

  // 1. Calibrate on training images, quantise, write the file.
  auto q = quantize_on(*model, data->train, static_cast<int>(*calibration), static_cast<uint64_t>(*seed));
  if (!q) return error(model_path + ": " + q.error());
  if (Status s = write_file(out_path, q->bytes); !s) return error("--out " + s.error);
  const size_t float_bytes = save_safetensors(*model).size();

  // 2. Test accuracy, both ways.
  Evaluator ev(*model, 0);
  const EvalResult before = ev.run(data->test);
  const EvalResult after = evaluate_int8(q->model, data->test);

  // 3. Speed on one thread: a batch, and one image at a time.
  const int n_px = std::min(kBatch, data->test.count);
  std::vector<float> px(static_cast<size_t>(kBatch) * P, 0.0f);
  for (int i = 0; i < n_px; ++i)
    load_sample(px.data() + i * P, data->test.image(i), data->test.height, data->test.width, Augment{}, nullptr);
  Workspace ws_batch(*model, kBatch), ws_one(*model, 1);
  QuantWorkspace qws_batch(q->model, kBatch), qws_one(q->model, 1);
  const int K = model->classes();
  const Speed fp32 = measure(px, K, [&](float* probs, const float* x, int n) {
    predict_probs(probs, *model, n == 1 ? ws_one : ws_batch, x, n);
  });
  const Speed int8 = measure(px, K, [&](float* probs, const float* x, int n) {
    predict_probs_int8(probs, q->model, n == 1 ? qws_one : qws_batch, x, n);
  });

  const double drop_pp = 100.0 * (before.accuracy() - after.accuracy());
  if (a->has("json")) {
    print_json({{"event", "quantize"},
                {"out", out_path},
                {"calibration_images", std::min<long>(*calibration, data->train.count)},
                {"fp32_test_accuracy", before.accuracy()},
                {"int8_test_accuracy", after.accuracy()},
                {"accuracy_drop_pp", drop_pp},
                {"fp32_bytes", float_bytes},
                {"int8_bytes", q->bytes.size()},
                {"size_ratio", double(float_bytes) / double(q->bytes.size())},
                {"batch", kBatch},
                {"fp32_batch_images_per_s", fp32.batch_images_per_s},
                {"int8_batch_images_per_s", int8.batch_images_per_s},
                {"fp32_one_image_us", fp32.one_image_us},
                {"int8_one_image_us", int8.one_image_us}});
    return 0;
  }
  std::printf("quantized %s -> %s (int8 weights per output channel, activations calibrated on %ld training images)\n",
              model_path.c_str(), out_path.c_str(), std::min<long>(*calibration, data->train.count));
  std::printf("test accuracy   fp32 %.2f%%   int8 %.2f%%   drop %.2f percentage points\n", 100 * before.accuracy(),
              100 * after.accuracy(), drop_pp);
  std::printf("file size       fp32 %zu bytes   int8 %zu bytes   %.2fx smaller\n", float_bytes, q->bytes.size(),
              double(float_bytes) / double(q->bytes.size()));
  std::printf("speed, 1 thread fp32 %.0f images/s   int8 %.0f images/s   (batch of %d; %.2fx)\n", fp32.batch_images_per_s,
              int8.batch_images_per_s, kBatch, int8.batch_images_per_s / fp32.batch_images_per_s);
  std::printf("one image       fp32 %.1f us   int8 %.1f us   (%.2fx)\n", fp32.one_image_us, int8.one_image_us,
              fp32.one_image_us / int8.one_image_us);
  return 0;
}

}  // namespace dt::cli
