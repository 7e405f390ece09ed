// Fuzzes the architecture JSON (nn/spec.h model_spec_from_json), which a saved model carries in
// its metadata, and building what it describes (Model::build). Architectures within the
// harness's budget (model_budget.h) are also initialised and run forward and backward on two
// blank samples, so that every layer meets shapes no preset has.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "fuzz_check.h"
#include "model_budget.h"
#include "nn/model.h"
#include "nn/spec.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace dt;
  const std::string text(reinterpret_cast<const char*>(data), size);
  Result<ModelSpec> spec = model_spec_from_json(text);
  if (!spec) {
    DT_FUZZ_CHECK(!spec.error().empty());
    return 0;
  }
  // What was read is written back as the same architecture: saved models must reload.
  const std::string json = to_json(*spec);
  Result<ModelSpec> again = model_spec_from_json(json);
  DT_FUZZ_CHECK(again.ok());
  DT_FUZZ_CHECK(to_json(*again) == json);
  DT_FUZZ_CHECK(describe(*again) == describe(*spec));

  if (!fuzz::affordable(*spec)) return 0;
  Result<Model> model = Model::build(*spec);
  if (!model) {
    DT_FUZZ_CHECK(!model.error().empty());
    return 0;
  }
  DT_FUZZ_CHECK(model->num_layers() == static_cast<int>(spec->layers.size()));
  long covered = 0;
  for (const TensorInfo& t : model->tensors()) {
    DT_FUZZ_CHECK(t.offset >= covered && t.offset + t.size <= model->num_params());
    covered = t.offset + t.size;
  }
  model->initialize(7);
  Workspace ws(*model, 2);
  ws.forward(*model, 2, /*training=*/true, /*seed=*/1);
  const long outputs = 2 * model->output_shape().size();
  for (long i = 0; i < outputs; ++i) ws.output_grad()[i] = 1e-3f;
  std::vector<float> grads(static_cast<size_t>(model->num_params()), 0.0f);
  ws.backward(*model, 2, grads.data());
  return 0;
}
