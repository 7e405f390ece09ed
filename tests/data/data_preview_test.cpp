// Data at a glance (data/data_preview.h): the class counts are those of the run's own split,
// and without augmentation every sample is a training-part image as it is.
#include <doctest/doctest.h>

#include <set>
#include <vector>

#include "data/data_preview.h"
#include "util/rng.h"

namespace dt {
namespace {

Dataset random_digits(int count, uint64_t seed) {
  Dataset d;
  d.count = count;
  d.height = d.width = kDigitSide;
  d.images.resize(static_cast<size_t>(count) * kDigitPixels);
  d.labels.resize(count);
  Rng rng(seed);
  for (auto& v : d.images) v = static_cast<uint8_t>(rng.below(256));
  for (int i = 0; i < count; ++i) d.labels[i] = static_cast<uint8_t>(rng.below(10));
  return d;
}

TEST_CASE("data preview: the class counts are the run's split's") {
  const Dataset all = random_digits(300, 3);
  const DataPreview p = preview_training_data(all, 0.2f, 11, Augment{}, 5, 10);
  const Split s = split_validation(all, 0.2f, 11);
  std::array<long, kClasses> train{}, val{};
  for (uint8_t l : s.train.labels) ++train[l];
  for (uint8_t l : s.val.labels) ++val[l];
  CHECK(p.train_counts == train);
  CHECK(p.val_counts == val);
}

TEST_CASE("data preview: without augmentation the samples are training-part images, unchanged") {
  const Dataset all = random_digits(200, 4);
  const DataPreview p = preview_training_data(all, 0.25f, 7, Augment{}, 9, 40);
  REQUIRE(p.labels.size() == 40);
  REQUIRE(p.images.size() == 40u * kDigitPixels);
  const SplitIndices parts = split_indices(all.count, 0.25f, 7);
  const std::set<int> val(parts.val_index.begin(), parts.val_index.end());
  for (int k = 0; k < 40; ++k) {
    const std::vector<uint8_t> sample(p.images.begin() + k * kDigitPixels, p.images.begin() + (k + 1) * kDigitPixels);
    int found = -1;
    for (int i = 0; i < all.count && found < 0; ++i)
      if (std::equal(sample.begin(), sample.end(), all.image(i))) found = i;
    REQUIRE_MESSAGE(found >= 0, "sample " << k << " is no image of the set");
    CHECK_MESSAGE(val.count(found) == 0, "sample " << k << " is validation image " << found);
    CHECK(p.labels[k] == all.labels[found]);
  }
}

TEST_CASE("data preview: augmentation changes the samples; the same seeds give the same preview") {
  const Dataset all = random_digits(100, 5);
  const DataPreview plain = preview_training_data(all, 0.1f, 1, Augment{}, 2, 8);
  const DataPreview augmented = preview_training_data(all, 0.1f, 1, standard_augment(), 2, 8);
  const DataPreview again = preview_training_data(all, 0.1f, 1, standard_augment(), 2, 8);
  CHECK(augmented.images != plain.images);
  CHECK(again.images == augmented.images);
  CHECK(again.labels == augmented.labels);
  CHECK(preview_training_data(all, 0.1f, 1, standard_augment(), 3, 8).images != augmented.images);
}

}  // namespace
}  // namespace dt
