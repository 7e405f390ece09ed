// Turning a stored digit into a network input: bytes to floats in [0,1], optionally through a
// random affine transform (rotation, scale, shift) drawn per sample, as in the seed articles'
// augmentation, and an elastic distortion (Simard, Steinkraus & Platt 2003: every pixel moved
// by a random field smoothed with a Gaussian, the way a hand wobbles). Done on the fly while
// assembling each batch, so no augmented copies are kept.
#pragma once
#include <cstdint>

#include "util/rng.h"

namespace dt {

struct Augment {
  float rotate_degrees = 0.0f;  // uniform in [-r, r]
  float scale = 0.0f;           // zoom factor uniform in [1-s, 1+s]
  float shift = 0.0f;           // pixels, uniform in [-s, s] on each axis
  float elastic_alpha = 0.0f;   // elastic distortion's strength in pixels; 0 = off
  float elastic_sigma = 4.0f;   // the smoothing Gaussian's standard deviation, pixels
  bool enabled() const { return rotate_degrees > 0.0f || scale > 0.0f || shift > 0.0f || elastic_alpha > 0.0f; }
};

// The seed articles' augmentation: rotate up to 10 degrees, zoom by up to 10%, shift up to 2
// pixels. What the CLI's --augment and the page's `augment: true` turn on.
Augment standard_augment();

// out (H*W) floats from img (H*W) bytes. With augmentation enabled, rng draws the transform
// and the image is resampled bilinearly (outside the image counts as background, 0).
void load_sample(float* out, const uint8_t* img, int H, int W, const Augment& aug, Rng* rng);

}  // namespace dt
