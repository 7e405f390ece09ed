// The memory a run needs, worked out before it allocates anything, in 64-bit arithmetic.
#include <doctest/doctest.h>

#include <string>

#include "recipe/presets.h"
#include "train/memory_budget.h"

namespace {

dt::Model build(const char* preset) {
  dt::Result<dt::Model> m = dt::Model::build(dt::find_preset(preset)->model);
  REQUIRE(m.ok());
  return std::move(*m);
}

dt::TrainConfig with_batch(int batch) {
  dt::TrainConfig c;
  c.batch = batch;
  return c;
}

}  // namespace

TEST_CASE("the need grows with the batch, stays exact past 32 bits, and counts the optimiser") {
  const dt::Model model = build("keras-cnn");
  const int64_t small = dt::training_bytes(model, with_batch(32), 1);
  const int64_t twice = dt::training_bytes(model, with_batch(64), 1);
  const int64_t huge = dt::training_bytes(model, with_batch(65536), 1);
  // At least the weights, their gradients and two optimiser moments.
  CHECK(small >= 4 * 4 * model.num_params());
  // Linear in the batch: the per-sample part doubles.
  const int64_t per_32 = twice - small;
  CHECK(per_32 > 0);
  CHECK(huge == small + per_32 * (65536 - 32) / 32);
  CHECK(huge > (int64_t{1} << 33));  // past anything a 32-bit size could hold
  // Threads each hold a workspace for their shard of the batch, and a gradient copy.
  CHECK(dt::training_bytes(model, with_batch(64), 2) > small);
}

TEST_CASE("a run over the budget is an error naming need, budget and the largest batch that fits") {
  const dt::Model model = build("keras-cnn");
  const int64_t budget = int64_t{1536} << 20;  // the page's
  const dt::Status s = dt::check_training_memory(model, with_batch(65536), 2, budget);
  REQUIRE_FALSE(s.ok());
  CHECK(s.error.find("batch 65536 needs about ") != std::string::npos);
  CHECK(s.error.find("more than the 1.6 GB available here") != std::string::npos);
  const size_t at = s.error.find("use a batch of ");
  REQUIRE(at != std::string::npos);
  const int fits = std::stoi(s.error.substr(at + 15));
  CHECK(dt::training_bytes(model, with_batch(fits), 2) <= budget);
  CHECK(dt::training_bytes(model, with_batch(2 * fits), 2) > budget);
  CHECK(dt::check_training_memory(model, with_batch(fits), 2, budget).ok());
  // Every preset at its own batch fits the page.
  for (const dt::Preset& p : dt::presets()) {
    const dt::Result<dt::Model> m = dt::Model::build(p.model);
    REQUIRE(m.ok());
    CHECK_MESSAGE(dt::check_training_memory(*m, p.train, 2, budget).ok(), p.name);
  }
  // Nothing fits a budget smaller than the weights themselves.
  CHECK(dt::check_training_memory(model, with_batch(1), 1, 1000).error.find("use a smaller model") != std::string::npos);
}
