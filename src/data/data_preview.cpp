#include "data/data_preview.h"

#include <algorithm>
#include <cmath>

#include "util/rng.h"

namespace dt {

DataPreview preview_training_data(const Dataset& all, float val_fraction, uint64_t split_seed, const Augment& augment,
                                  uint64_t sample_seed, int count) {
  DataPreview p;
  const SplitIndices parts = split_indices(all.count, val_fraction, split_seed);
  for (int i : parts.train_index) ++p.train_counts[all.labels[i]];
  for (int i : parts.val_index) ++p.val_counts[all.labels[i]];
  if (parts.train_index.empty() || count <= 0) return p;
  Rng rng(mix(sample_seed, 0x9e71));
  const int P = all.pixels();
  std::vector<float> sample(static_cast<size_t>(P));
  p.images.resize(static_cast<size_t>(count) * P);
  p.labels.resize(count);
  for (int k = 0; k < count; ++k) {
    const int i = parts.train_index[rng.below(static_cast<uint32_t>(parts.train_index.size()))];
    load_sample(sample.data(), all.image(i), all.height, all.width, augment, augment.enabled() ? &rng : nullptr);
    for (int j = 0; j < P; ++j)
      p.images[static_cast<size_t>(k) * P + j] = static_cast<uint8_t>(std::lround(std::clamp(sample[j], 0.0f, 1.0f) * 255.0f));
    p.labels[k] = all.labels[i];
  }
  return p;
}

}  // namespace dt
