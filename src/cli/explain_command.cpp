// `digitrain explain`: why a saved model gives one image its class. An attribution map over the
// 28x28 input (gradient x input or occlusion, nn/attribution.h), its top pixels, and the map as
// a PGM a viewer can open.
#include <algorithm>
#include <cmath>
#include <cstdio>

#include "cli/args.h"
#include "cli/commands.h"
#include "cli/inputs.h"
#include "cli/output.h"
#include "nn/attribution.h"
#include "nn/predict.h"
#include "util/digit_shape.h"
#include "util/file.h"
#include "util/stopwatch.h"

namespace dt::cli {

namespace {

constexpr int kTopPixels = 10;
// Images per forward for occlusion (up to 576 patched images). Batches of 1 to 64 measured
// within noise of each other natively: even one image gives the convolutions hundreds of rows.
constexpr int kOcclusionBatch = 16;

// The map as a binary PGM (P5, 28x28, 8-bit): 128 is 0, 255 is +scale and 1 is -scale, with
// scale the map's largest |value| (an all-zero map is all 128).
std::vector<uint8_t> map_pgm(const std::vector<float>& map, float scale) {
  const std::string header = "P5\n" + std::to_string(kDigitSide) + " " + std::to_string(kDigitSide) + "\n255\n";
  std::vector<uint8_t> bytes(header.begin(), header.end());
  for (float v : map) {
    const float level = scale > 0 ? 128.0f + 127.0f * v / scale : 128.0f;
    bytes.push_back(static_cast<uint8_t>(std::clamp(std::lround(level), 1L, 255L)));
  }
  return bytes;
}

std::string describe_method(AttributionMethod m) {
  if (m == AttributionMethod::gradient_x_input) return "gradient x input (of the class's logit)";
  const OcclusionPatch patch;
  const std::string size = std::to_string(patch.size);
  return "occlusion (drop in the class's probability, " + size + "x" + size + " patch, stride " +
         std::to_string(patch.stride) + ")";
}

}  // namespace

int cmd_explain(const std::vector<std::string>& argv) {
  auto a = Args::parse(argv, {{"model", "index", "pgm", "class", "method", "out", "dataset", "data"}, {"json"}},
                       "explain");
  if (!a) return usage_error(a.error());
  if (!a->has("model")) return usage_error("explain needs --model FILE.safetensors");
  if (a->has("index") == a->has("pgm")) return usage_error("explain needs one of --index N (a test image) or --pgm FILE");
  auto method = attribution_method_from_name(a->get("method", "gradient"));
  if (!method) return usage_error("--method: " + method.error());
  auto chosen_class = a->integer("class", -1);
  if (!chosen_class) return usage_error(chosen_class.error());
  if (a->has("out")) {  // before the work, not after it
    const Status writable = check_writable(a->get("out"));
    if (!writable) return error(writable.error);
  }
  auto model = load_model_file(a->get("model"));
  if (!model) return error(model.error());
  const int classes = model->classes();
  if (a->has("class") && (*chosen_class < 0 || *chosen_class >= classes))
    return usage_error("--class must be between 0 and " + std::to_string(classes - 1) + " (this model has " +
                       std::to_string(classes) + " classes); leave it out to explain the predicted class");
  DigitInput input;
  if (const int code = read_digit_input(*a, *model, "explain", input)) return code;

  Workspace ws(*model, *method == AttributionMethod::occlusion ? kOcclusionBatch : 1);
  std::vector<float> probs(classes);
  predict_probs(probs.data(), *model, ws, input.pixels.data(), 1);
  const int digit = static_cast<int>(std::max_element(probs.begin(), probs.end()) - probs.begin());
  const int k = a->has("class") ? static_cast<int>(*chosen_class) : digit;

  const Stopwatch clock;
  const std::vector<float> map = attribution(*model, ws, input.pixels.data(), k, *method);
  const double ms = clock.seconds() * 1e3;
  float scale = 0;
  for (float v : map) scale = std::max(scale, std::fabs(v));
  const std::vector<PixelValue> top = top_pixels(map, kDigitSide, kTopPixels);

  if (a->has("out")) {
    const Status written = write_file(a->get("out"), map_pgm(map, scale));
    if (!written) return error(written.error);
  }
  if (a->has("json")) {
    nlohmann::json pixels = nlohmann::json::array();
    for (const PixelValue& p : top) pixels.push_back({{"row", p.row}, {"column", p.col}, {"value", p.value}});
    nlohmann::json j{{"event", "explain"},        {"digit", digit},        {"probability", probs[digit]},
                     {"class", k},                {"class_probability", probs[k]},
                     {"method", attribution_method_name(*method)},      {"milliseconds", ms},
                     {"scale", scale},            {"top", pixels},         {"map", map}};
    if (input.label >= 0) j["label"] = input.label;
    if (a->has("out")) j["out"] = a->get("out");
    print_json(j);
    return 0;
  }
  std::printf("digit %d (%.1f%%)%s\n", digit, 100 * probs[digit],
              input.label >= 0 ? (" label " + std::to_string(input.label)).c_str() : "");
  std::printf("class %d (%.1f%%) explained by %s in %.1f ms\n", k, 100 * probs[k], describe_method(*method).c_str(), ms);
  std::printf("top %d pixels by |value| (positive: evidence for class %d)\n  row  column  value\n",
              static_cast<int>(top.size()), k);
  for (const PixelValue& p : top) std::printf("  %3d  %6d  %+.4g\n", p.row, p.col, p.value);
  if (a->has("out"))
    std::printf("wrote %s: 28x28 PGM, 128 = 0, 255 = %+.4g, 1 = %+.4g\n", a->get("out").c_str(), scale, -scale);
  return 0;
}

}  // namespace dt::cli
