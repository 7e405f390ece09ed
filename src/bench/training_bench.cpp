#include "bench/training_bench.h"

#include <algorithm>
#include <chrono>

#include "recipe/presets.h"
#include "train/trainer.h"
#include "util/digit_shape.h"

namespace dt::bench {

double train_samples_per_second(const std::string& preset, int batch, int threads, double seconds) {
  using Clock = std::chrono::steady_clock;
  const Preset p = *find_preset(preset);
  // A few thousand random images, cycled through as many epochs as the time takes.
  Dataset d;
  d.count = batch * std::max(16, 4096 / batch);
  d.height = d.width = kDigitSide;
  d.images.resize(static_cast<size_t>(d.count) * kDigitPixels);
  d.labels.resize(d.count);
  Rng rng(7);
  for (auto& px : d.images) px = static_cast<uint8_t>(rng.below(256));
  for (auto& l : d.labels) l = static_cast<uint8_t>(rng.below(kClasses));
  auto model = Model::build(p.model);
  model->initialize(1);
  TrainConfig cfg = p.train;
  cfg.batch = batch;
  cfg.threads = threads;
  cfg.epochs = 1000000;  // never the limit: the clock is
  Trainer trainer(*model, d, cfg);
  for (int i = 0; i < 3; ++i) trainer.step();  // warm-up
  const int64_t first = trainer.global_step();
  const auto t0 = Clock::now();
  double elapsed = 0;
  for (int steps = 0; steps < 8 || elapsed < seconds; ++steps) {
    trainer.step();
    elapsed = std::chrono::duration<double>(Clock::now() - t0).count();
  }
  // Every step is a whole batch: the image count is a multiple of every batch size used.
  return double(trainer.global_step() - first) * batch / elapsed;
}

}  // namespace dt::bench
