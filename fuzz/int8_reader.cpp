// Fuzzes the int8 model reader (quant/quantized_file.h load_quantized and is_quantized_file),
// which reads files from `digitrain quantize` that a user names to eval and predict, and the
// page's Quantise answers; then runs what it loaded once on a blank image, as the pad would.
// Models beyond the harness's budget (model_budget.h) load but do not run.
#include <cstddef>
#include <cstdint>
#include <vector>

#include "fuzz_check.h"
#include "model_budget.h"
#include "quant/predict_int8.h"
#include "quant/quantized_file.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace dt;
  const bool says_int8 = is_quantized_file(data, size);
  Result<QuantizedModel> q = load_quantized(data, size, "fuzz input");
  if (!q) {
    DT_FUZZ_CHECK(!q.error().empty());
    return 0;
  }
  DT_FUZZ_CHECK(says_int8);  // what loads says so in its header
  DT_FUZZ_CHECK(q->model.classes() == kClasses);
  if (!fuzz::affordable(q->spec)) return 0;

  QuantWorkspace ws(*q, 1);
  const std::vector<float> blank(static_cast<size_t>(q->model.input_shape().size()), 0.0f);
  float probs[kClasses];
  // Its answer is not checked for being finite: scales and biases are (the loader sees to
  // that), but finite ones can be large enough to overflow, as a float model's weights can.
  predict_probs_int8(probs, *q, ws, blank.data(), 1);

  // What loads saves and loads back to the same bytes (the page downloads what it was given).
  const std::vector<uint8_t> saved = save_quantized(*q);
  Result<QuantizedModel> again = load_quantized(saved.data(), saved.size(), "saved again");
  DT_FUZZ_CHECK(again.ok());
  DT_FUZZ_CHECK(save_quantized(*again) == saved);
  return 0;
}
