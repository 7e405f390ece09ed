#include "data/dataset.h"

#include <algorithm>
#include <cstring>
#include <numeric>

#include "util/rng.h"

namespace dt {

Result<Dataset> make_dataset(IdxArray images, IdxArray labels, const std::string& what) {
  if (images.dims.size() != 3)
    return Error{what + ": the images file has " + std::to_string(images.dims.size()) +
                 " dimensions, expected 3 (count, rows, columns); are the images and labels files swapped?"};
  if (labels.dims.size() != 1)
    return Error{what + ": the labels file has " + std::to_string(labels.dims.size()) + " dimensions, expected 1"};
  if (images.dims[0] != labels.dims[0])
    return Error{what + ": " + std::to_string(images.dims[0]) + " images but " + std::to_string(labels.dims[0]) +
                 " labels; the files do not belong together"};
  for (size_t i = 0; i < labels.data.size(); ++i)
    if (labels.data[i] >= kClasses)
      return Error{what + ": label " + std::to_string(labels.data[i]) + " at index " + std::to_string(i) +
                   " is not a digit class 0-9; the labels file is corrupt"};
  Dataset d;
  d.count = images.dims[0];
  d.height = images.dims[1];
  d.width = images.dims[2];
  d.images = std::move(images.data);
  d.labels = std::move(labels.data);
  return d;
}

Result<Dataset> parse_dataset(const uint8_t* image_bytes, size_t image_size, const uint8_t* label_bytes,
                              size_t label_size, const std::string& what) {
  auto images = parse_idx(image_bytes, image_size, what + " images");
  if (!images) return Error{images.error()};
  auto labels = parse_idx(label_bytes, label_size, what + " labels");
  if (!labels) return Error{labels.error()};
  return make_dataset(std::move(*images), std::move(*labels), what);
}

namespace {
Dataset gather(const Dataset& all, const std::vector<int>& idx) {
  Dataset d;
  d.count = static_cast<int>(idx.size());
  d.height = all.height;
  d.width = all.width;
  d.images.resize(static_cast<size_t>(d.count) * all.pixels());
  d.labels.resize(d.count);
  for (int i = 0; i < d.count; ++i) {
    std::memcpy(d.images.data() + static_cast<size_t>(i) * all.pixels(), all.image(idx[i]), all.pixels());
    d.labels[i] = all.labels[idx[i]];
  }
  return d;
}
}  // namespace

SplitIndices split_indices(int count, float fraction, uint64_t seed) {
  std::vector<int> idx(count);
  std::iota(idx.begin(), idx.end(), 0);
  Rng rng(mix(seed, 0x5917));
  for (int i = count - 1; i > 0; --i) std::swap(idx[i], idx[rng.below(static_cast<uint32_t>(i + 1))]);
  const int n_val = std::clamp(static_cast<int>(count * double(fraction) + 0.5), 0, count);
  SplitIndices s{std::vector<int>(idx.begin(), idx.end() - n_val), std::vector<int>(idx.end() - n_val, idx.end())};
  // Keep each part in the original order: shuffling is the trainer's job, and it makes the
  // split independent of how the parts are later iterated.
  std::sort(s.val_index.begin(), s.val_index.end());
  std::sort(s.train_index.begin(), s.train_index.end());
  return s;
}

Split split_validation(const Dataset& all, float fraction, uint64_t seed) {
  const SplitIndices s = split_indices(all.count, fraction, seed);
  return {gather(all, s.train_index), gather(all, s.val_index)};
}

Dataset take_first(const Dataset& all, int n) {
  if (n <= 0 || n >= all.count) return all;
  std::vector<int> idx(n);
  std::iota(idx.begin(), idx.end(), 0);
  return gather(all, idx);
}

}  // namespace dt
