// Fuzzes the IDX reader (data/idx.h parse_idx) and the pairing of an images file with a labels
// file (data/dataset.h parse_dataset), as the page does with fetched bytes and the CLI with
// files. Input: two bytes (little-endian) giving the images file's length, the images file,
// then the labels file; a length past the end takes everything and leaves no labels.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <utility>

#include "data/dataset.h"
#include "data/idx.h"
#include "fuzz_check.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace dt;
  if (size < 2) return 0;
  const size_t images_size = std::min<size_t>(data[0] | (size_t(data[1]) << 8), size - 2);
  const uint8_t* images = data + 2;
  const uint8_t* labels = images + images_size;
  const size_t labels_size = size - 2 - images_size;

  // Each file alone: what parse_idx accepts is a consistent array.
  for (auto [bytes, n] : {std::pair{images, images_size}, std::pair{labels, labels_size}}) {
    Result<IdxArray> a = parse_idx(bytes, n, "fuzz input");
    if (!a) {
      DT_FUZZ_CHECK(!a.error().empty());
      continue;
    }
    size_t count = 1;
    for (int d : a->dims) {
      DT_FUZZ_CHECK(d >= 1);
      count *= static_cast<size_t>(d);
    }
    DT_FUZZ_CHECK(a->data.size() == count);
  }

  Result<Dataset> d = parse_dataset(images, images_size, labels, labels_size, "fuzz input");
  if (!d) {
    DT_FUZZ_CHECK(!d.error().empty());
    return 0;
  }
  DT_FUZZ_CHECK(d->count >= 1 && d->height >= 1 && d->width >= 1);
  DT_FUZZ_CHECK(d->labels.size() == static_cast<size_t>(d->count));
  DT_FUZZ_CHECK(d->images.size() == static_cast<size_t>(d->count) * static_cast<size_t>(d->pixels()));
  // Every image and label is readable where the trainer reads it, and every label is a class.
  unsigned sum = 0;
  for (int i = 0; i < d->count; ++i) {
    DT_FUZZ_CHECK(d->labels[i] < kClasses);
    const uint8_t* image = d->image(i);
    for (int p = 0; p < d->pixels(); ++p) sum += image[p];
  }
  // The ways the front ends cut a dataset keep every sample exactly once.
  const Split split = split_validation(*d, 0.25f, sum);
  DT_FUZZ_CHECK(split.train.count + split.val.count == d->count);
  const Dataset first = take_first(*d, d->count / 2);
  DT_FUZZ_CHECK(first.count == (d->count / 2 > 0 ? d->count / 2 : d->count));
  return 0;
}
