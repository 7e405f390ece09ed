// A labelled image set kept as the original bytes (0..255): 47 MB for MNIST's 60k training
// images instead of 188 MB as floats. Samples are converted to floats in [0,1] when a batch
// is assembled (see augment.h).
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "data/idx.h"
#include "util/digit_shape.h"
#include "util/result.h"

namespace dt {

struct Dataset {
  int count = 0;
  int height = 0, width = 0;
  std::vector<uint8_t> images;  // (count, height, width)
  std::vector<uint8_t> labels;  // (count), each < kClasses
  const uint8_t* image(int i) const { return images.data() + static_cast<size_t>(i) * height * width; }
  int pixels() const { return height * width; }
};

// Pairs an images file (3-d) with a labels file (1-d), checking they agree.
Result<Dataset> make_dataset(IdxArray images, IdxArray labels, const std::string& what);

// Both files straight from bytes.
Result<Dataset> parse_dataset(const uint8_t* image_bytes, size_t image_size, const uint8_t* label_bytes,
                              size_t label_size, const std::string& what);

// Splits off a validation set: a seeded random `fraction` of the samples goes to `val`.
struct Split {
  Dataset train, val;
};
Split split_validation(const Dataset& all, float fraction, uint64_t seed);
// The same split as sample indices (each part in the original order), without copying images.
struct SplitIndices {
  std::vector<int> train_index, val_index;
};
SplitIndices split_indices(int count, float fraction, uint64_t seed);

// The first `n` samples (or all if n <= 0 or n >= count).
Dataset take_first(const Dataset& all, int n);

}  // namespace dt
