#include "bench/training_bench.h"

#include <chrono>

#include "recipe/presets.h"
#include "train/trainer.h"
#include "util/digit_shape.h"

namespace dt::bench {

double train_samples_per_second(int batch, int threads, int steps) {
  using Clock = std::chrono::steady_clock;
  const Preset p = *find_preset("keras-cnn");
  Dataset d;
  d.count = batch * steps;
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
  cfg.epochs = 1;
  Trainer trainer(*model, d, cfg);
  for (int i = 0; i < 3; ++i) trainer.step();  // warm-up
  const auto t0 = Clock::now();
  int done = 0;
  while (!trainer.finished()) {
    trainer.step();
    ++done;
  }
  return double(done) * batch / std::chrono::duration<double>(Clock::now() - t0).count();
}

}  // namespace dt::bench
