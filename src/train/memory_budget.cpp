#include "train/memory_budget.h"

#include <algorithm>
#include <cstdio>
#include <string>

#include "util/page_memory.h"

#if !defined(__EMSCRIPTEN__)
#include <unistd.h>
#endif

namespace dt {

namespace {

// Floats of one workspace for shards of `n` samples, as Workspace's constructor lays them out.
// Layers size their buffers linearly in n (plus at most a constant), so the need per sample is
// taken at n = 1 and 2 and scaled, which keeps every layer call far from overflowing its
// `long` (32 bits in wasm).
int64_t workspace_floats(const Model& model, int64_t n) {
  auto at = [&](int m) {
    int64_t acts = model.input_shape().size() * m, saved = 0, scratch = 0, largest = acts;
    for (int i = 0; i < model.num_layers(); ++i) {
      const int64_t out = model.shape_after(i).size() * m;
      acts += out;
      largest = std::max(largest, out);
      saved += model.layer(i).saved_floats(m);
      scratch = std::max<int64_t>(scratch, model.layer(i).scratch_floats(m));
    }
    return acts + saved + scratch + 2 * largest;
  };
  const int64_t one = at(1), two = at(2);
  const int64_t per_sample = std::max<int64_t>(two - one, 0), fixed = std::max<int64_t>(one - per_sample, 0);
  return fixed + per_sample * n;
}

int64_t shard_size(int batch, int threads) {
  const int64_t t = std::max(1, std::min(threads, std::max(1, batch)));
  return std::max<int64_t>((batch + t - 1) / t, 32);  // the trainer's shards are at least 32
}

std::string gigabytes(int64_t bytes) {
  char text[32];
  std::snprintf(text, sizeof text, "%.1f GB", static_cast<double>(bytes) / 1e9);
  return text;
}

}  // namespace

int64_t training_bytes(const Model& model, const TrainConfig& config, int threads) {
  const int64_t t = std::max(1, std::min(threads, std::max(1, config.batch)));
  const int64_t params = model.num_params();
  const int64_t per_thread = workspace_floats(model, shard_size(config.batch, threads)) + params;
  const int64_t optimizer = 2 * params;  // moments (Adam) or velocity: at most two copies
  return 4 * (t * per_thread + optimizer);
}

int64_t training_memory_budget() {
#if defined(__EMSCRIPTEN__)
  return kPageTrainingBytes;
#else
  const long pages = sysconf(_SC_PHYS_PAGES), page = sysconf(_SC_PAGE_SIZE);
  if (pages <= 0 || page <= 0) return int64_t{8} << 30;
  return static_cast<int64_t>(pages) * page / 4 * 3;
#endif
}

Status check_training_memory(const Model& model, const TrainConfig& config, int threads, int64_t budget) {
  const int64_t need = training_bytes(model, config, threads);
  if (need <= budget) return Status::success();
  int fits = 0;  // the largest power of two that fits
  for (int b = 1; b <= config.batch; b *= 2) {
    TrainConfig smaller = config;
    smaller.batch = b;
    if (training_bytes(model, smaller, threads) > budget) break;
    fits = b;
  }
  std::string advice = fits > 0 ? "use a batch of " + std::to_string(fits) + " or less" : "use a smaller model";
  return fail("batch " + std::to_string(config.batch) + " needs about " + gigabytes(need) +
               " to train this model, more than the " + gigabytes(budget) + " available here: " + advice);
}

}  // namespace dt
