// Fuzzes the page's start config (worker/start_config.h parse_start_config): the JSON object
// that window.digitrain.start() and the Train panel send to the training worker. Whatever it
// accepts is a run the trainer can start.
#include <cstddef>
#include <cstdint>
#include <string>

#include "fuzz_check.h"
#include "recipe/train_config.h"
#include "worker/start_config.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace dt;
  constexpr int kMaxThreads = 4;  // the worker's pool on a 4-core machine
  const std::string text(reinterpret_cast<const char*>(data), size);
  Result<StartConfig> config = parse_start_config(text, kMaxThreads);
  if (!config) {
    DT_FUZZ_CHECK(!config.error().empty());
    return 0;
  }
  DT_FUZZ_CHECK(config->dataset == "mnist" || config->dataset == "fashion");
  const TrainConfig& t = config->preset.train;
  DT_FUZZ_CHECK(validate(t).ok());
  DT_FUZZ_CHECK(t.threads >= 1 && t.threads <= kMaxThreads);
  DT_FUZZ_CHECK(t.epochs >= 1 && t.epochs <= 100000);
  DT_FUZZ_CHECK(t.batch >= 1 && t.batch <= 65536);
  DT_FUZZ_CHECK(find_preset(config->preset.name).ok());
  return 0;
}
