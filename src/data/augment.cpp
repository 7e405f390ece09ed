#include "data/augment.h"

#include <cmath>

namespace dt {

Augment standard_augment() { return Augment{10.0f, 0.1f, 2.0f}; }

void load_sample(float* out, const uint8_t* img, int H, int W, const Augment& aug, Rng* rng) {
  // Divide rather than multiply by 1/255: the reciprocal is off by up to one ulp for some
  // bytes, and every other path that turns a byte into an input (PGM files, the web app's
  // canvas) should be able to produce the very same float with a plain `/ 255.0f`.
  if (!aug.enabled() || !rng) {
    for (int i = 0; i < H * W; ++i) out[i] = img[i] / 255.0f;
    return;
  }
  const float angle = rng->uniform(-aug.rotate_degrees, aug.rotate_degrees) * 3.14159265f / 180.0f;
  const float zoom = rng->uniform(1.0f - aug.scale, 1.0f + aug.scale);
  const float tx = rng->uniform(-aug.shift, aug.shift);
  const float ty = rng->uniform(-aug.shift, aug.shift);
  // Map each output pixel back into the source: p_src = R(-angle) (p - c - t) / zoom + c.
  const float cx = (W - 1) * 0.5f, cy = (H - 1) * 0.5f;
  const float cs = std::cos(angle) / zoom, sn = std::sin(angle) / zoom;
  for (int y = 0; y < H; ++y) {
    for (int x = 0; x < W; ++x) {
      const float dx = x - cx - tx, dy = y - cy - ty;
      const float sx = cs * dx + sn * dy + cx;
      const float sy = -sn * dx + cs * dy + cy;
      // Far outside the image is background; this also keeps the int conversion below in range
      // whatever shift or zoom the caller asked for.
      if (!(sx > -2.0f && sx < W + 1.0f && sy > -2.0f && sy < H + 1.0f)) {
        out[y * W + x] = 0.0f;
        continue;
      }
      const int x0 = static_cast<int>(std::floor(sx)), y0 = static_cast<int>(std::floor(sy));
      const float fx = sx - x0, fy = sy - y0;
      auto at = [&](int yy, int xx) -> float {
        return (xx < 0 || yy < 0 || xx >= W || yy >= H) ? 0.0f : img[yy * W + xx];
      };
      const float v = (1 - fy) * ((1 - fx) * at(y0, x0) + fx * at(y0, x0 + 1)) +
                      fy * ((1 - fx) * at(y0 + 1, x0) + fx * at(y0 + 1, x0 + 1));
      out[y * W + x] = v / 255.0f;
    }
  }
}

}  // namespace dt
