// The training tests' small synthetic task: 10 classes of 12x12 images, class k a bright 3x3
// square at position k, plus noise; learnt in a few hundred steps by a small model.
#pragma once
#include <cstdint>

#include "data/dataset.h"
#include "util/rng.h"

namespace dt {

// With `label_shift`, each image is labelled (k + label_shift) % 10: a set the model gets
// worse at as it learns the true classes (so early stopping keeps the first epoch's weights).
inline Dataset squares(int count, uint64_t seed, int label_shift = 0) {
  Dataset d;
  d.count = count;
  d.height = d.width = 12;
  d.images.resize(static_cast<size_t>(count) * 144);
  d.labels.resize(count);
  Rng rng(seed);
  for (int i = 0; i < count; ++i) {
    const int k = static_cast<int>(rng.below(10));
    d.labels[i] = static_cast<uint8_t>((k + label_shift) % 10);
    uint8_t* img = d.images.data() + static_cast<size_t>(i) * 144;
    for (int p = 0; p < 144; ++p) img[p] = static_cast<uint8_t>(rng.below(60));
    const int y0 = (k / 4) * 4, x0 = (k % 4) * 3;
    for (int y = 0; y < 3; ++y)
      for (int x = 0; x < 3; ++x) img[(y0 + y) * 12 + x0 + x] = 255;
  }
  return d;
}

}  // namespace dt
