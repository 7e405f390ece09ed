// Fuzzes the model file reader (io/safetensors.h load_safetensors and safetensors_metadata),
// which reads files a user names on the command line and weight snapshots the page keeps, then
// runs the model it loaded once on a blank image, as `digitrain predict` and the drawing pad
// would. Models beyond the harness's budget (model_budget.h) load but do not run.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <map>
#include <string>
#include <vector>

#include "fuzz_check.h"
#include "io/safetensors.h"
#include "model_budget.h"
#include "nn/predict.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace dt;
  Result<std::map<std::string, std::string>> meta = safetensors_metadata(data, size, "fuzz input");
  Result<Model> model = load_safetensors(data, size, "fuzz input");
  if (!model) {
    DT_FUZZ_CHECK(!model.error().empty());
    return 0;
  }
  DT_FUZZ_CHECK(meta.ok());  // a file that loads has readable metadata
  DT_FUZZ_CHECK(model->classes() == kClasses);
  for (long i = 0; i < model->num_params(); ++i) DT_FUZZ_CHECK(std::isfinite(model->params()[i]));
  if (!fuzz::affordable(model->spec())) return 0;

  Workspace ws(*model, 1);
  const std::vector<float> blank(static_cast<size_t>(model->input_shape().size()), 0.0f);
  float probs[kClasses];
  predict_probs(probs, *model, ws, blank.data(), 1);

  // What loads saves and loads back to the same parameters (the page stores snapshots so).
  const std::vector<uint8_t> saved = save_safetensors(*model);
  Result<Model> again = load_safetensors(saved.data(), saved.size(), "saved again");
  DT_FUZZ_CHECK(again.ok());
  DT_FUZZ_CHECK(again->num_params() == model->num_params());
  DT_FUZZ_CHECK(model->num_params() == 0 ||
                std::memcmp(again->params(), model->params(), sizeof(float) * model->num_params()) == 0);
  return 0;
}
