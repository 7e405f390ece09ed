// A small trained-looking model for the quantisation tests: `fast`'s layers (conv, batch norm,
// pool, ReLU, dense), initialised, with batch-norm statistics that are not the identity, and
// image-like inputs (sparse strokes of bright pixels on black, as in MNIST).
#pragma once
#include <algorithm>
#include <cstring>
#include <vector>

#include "nn/model.h"
#include "recipe/presets.h"
#include "test_util.h"
#include "util/rng.h"

namespace dt::test {

inline Model fast_like_model(uint64_t seed) {
  Model m = *Model::build(find_preset("fast")->model);
  m.initialize(seed);
  Rng rng(seed + 7);
  for (const TensorInfo& t : m.tensors()) {
    float* v = m.params() + t.offset;
    const auto ends = [&](const char* s) { return t.name.size() >= std::strlen(s) && t.name.compare(t.name.size() - std::strlen(s), std::string::npos, s) == 0; };
    for (long i = 0; i < t.size; ++i) {
      if (ends(".gamma")) v[i] = rng.uniform(0.5f, 1.5f);
      if (ends(".beta")) v[i] = rng.uniform(-0.3f, 0.3f);
      if (ends(".running_mean")) v[i] = rng.uniform(-0.2f, 0.2f);
      if (ends(".running_var")) v[i] = rng.uniform(0.2f, 2.0f);
      if (ends(".bias")) v[i] = rng.uniform(-0.1f, 0.1f);
    }
  }
  return m;
}

// n images of 28x28 (pixels in [0, 1]): a few bright random strokes.
inline std::vector<float> stroke_images(int n, uint64_t seed) {
  std::vector<float> px(static_cast<size_t>(n) * 784, 0.0f);
  Rng rng(seed);
  for (int i = 0; i < n; ++i) {
    float* img = px.data() + static_cast<size_t>(i) * 784;
    for (int s = 0; s < 3; ++s) {
      float x = rng.uniform(6, 22), y = rng.uniform(6, 22);
      const float dx = rng.uniform(-1, 1), dy = rng.uniform(-1, 1);
      for (int t = 0; t < 12; ++t, x += dx, y += dy)
        for (int oy = 0; oy < 2; ++oy)
          for (int ox = 0; ox < 2; ++ox) {
            const int xi = static_cast<int>(x) + ox, yi = static_cast<int>(y) + oy;
            if (xi >= 0 && xi < 28 && yi >= 0 && yi < 28) img[yi * 28 + xi] = std::max(img[yi * 28 + xi], rng.uniform(0.6f, 1.0f));
          }
    }
  }
  return px;
}

}  // namespace dt::test
