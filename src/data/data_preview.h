// What the network gets to see of a training set before a run starts: the per-class counts of
// the training and validation parts the run will split it into (split_validation, the same
// seeded split), and a few training samples as a batch assembles them, augmentation applied,
// so that a person sees what rotation, zoom and shift do to the digits.
#pragma once
#include <array>
#include <cstdint>
#include <vector>

#include "data/augment.h"
#include "data/dataset.h"

namespace dt {

struct DataPreview {
  std::array<long, kClasses> train_counts{}, val_counts{};
  std::vector<uint8_t> images;  // (count, height, width): the samples as the network gets them, 0..255
  std::vector<uint8_t> labels;  // (count)
};

// `count` samples drawn (seeded by `sample_seed`) from the training part of the split that
// split_validation(all, val_fraction, split_seed) makes.
DataPreview preview_training_data(const Dataset& all, float val_fraction, uint64_t split_seed, const Augment& augment,
                                  uint64_t sample_seed, int count);

}  // namespace dt
