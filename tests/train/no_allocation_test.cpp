// A training step allocates nothing, nor does a slice of a run that ends no epoch: every buffer
// is sized when the trainer is built. Counted by replacing the global operator new for this
// test executable.
#include <doctest/doctest.h>

#include <atomic>
#include <cstdlib>
#include <new>

#include "recipe/presets.h"
#include "train/run.h"
#include "train/trainer.h"

namespace {
std::atomic<long> g_allocations{0};
}

void* operator new(std::size_t n) {
  g_allocations.fetch_add(1, std::memory_order_relaxed);
  if (void* p = std::malloc(n ? n : 1)) return p;
  throw std::bad_alloc();
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }

namespace dt {
namespace {

TEST_CASE("a training step allocates no memory") {
  for (const char* name : {"keras-cnn", "keras-cnn-dropout", "fast"}) {
    const Preset p = *find_preset(name);
    Dataset d;
    d.count = 256;
    d.height = d.width = 28;
    d.images.assign(static_cast<size_t>(d.count) * 784, 100);
    d.labels.assign(d.count, 3);
    auto model = Model::build(p.model);
    REQUIRE(model.ok());
    model->initialize(1);
    TrainConfig cfg = p.train;
    cfg.batch = 32;
    cfg.threads = 2;
    cfg.augment = Augment{10, 0.1f, 2};
    Trainer trainer(*model, d, cfg);
    trainer.step();  // the first step may touch lazily created state
    const long before = g_allocations.load();
    for (int i = 0; i < 5; ++i) trainer.step();
    const long allocations = g_allocations.load() - before;
    INFO(std::string(name));
    CHECK(allocations == 0);
  }
}

TEST_CASE("a run's slice that ends no epoch allocates no memory either") {
  const Preset p = *find_preset("fast");
  Dataset d, none;
  d.count = 256;
  d.height = d.width = 28;
  d.images.assign(static_cast<size_t>(d.count) * 784, 100);
  d.labels.assign(d.count, 3);
  auto model = Model::build(p.model);
  REQUIRE(model.ok());
  model->initialize(1);
  TrainConfig cfg = p.train;
  cfg.batch = 32;  // 8 steps per epoch
  cfg.threads = 2;
  TrainingRun run(*model, {d, none, &d}, cfg, TestEvaluation::every_epoch);
  run.advance(SliceBudget::seconds(0));
  const long before = g_allocations.load();
  int epoch_ends = 0;
  for (int i = 0; i < 5; ++i) epoch_ends += run.advance(SliceBudget::seconds(0)).epoch.has_value();
  const long allocations = g_allocations.load() - before;
  CHECK(epoch_ends == 0);
  CHECK(allocations == 0);
}

}  // namespace
}  // namespace dt
