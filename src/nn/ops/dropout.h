// Inverted dropout: in training each element is kept with probability 1-rate and scaled by
// 1/(1-rate), so inference is the identity. The mask is drawn per sample from
// (seed, sample index), so a sample's mask does not depend on how the batch was split across
// threads.
#pragma once
#include <cstdint>

#include "util/rng.h"

namespace dt {

// y (N,D), mask (N,D) holds the multiplier (0 or 1/(1-rate)) for the backward.
template <class T>
void dropout_forward_ref(T* y, T* mask, const T* x, int N, long D, float rate, uint64_t seed, long first_sample) {
  const T keep_scale = T(1) / (T(1) - T(rate));
  for (int n = 0; n < N; ++n) {
    Rng rng(mix(seed, static_cast<uint64_t>(first_sample + n)));
    for (long i = 0; i < D; ++i) {
      const long k = n * D + i;
      mask[k] = rng.uniform() >= rate ? keep_scale : T(0);
      y[k] = x[k] * mask[k];
    }
  }
}

template <class T>
void dropout_backward_ref(T* dx, const T* dy, const T* mask, long n) {
  for (long i = 0; i < n; ++i) dx[i] = dy[i] * mask[i];
}

}  // namespace dt
