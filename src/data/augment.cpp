#include "data/augment.h"

#include <algorithm>
#include <cmath>
#include <vector>

namespace dt {

namespace {

// field (H*W) convolved with a normalised Gaussian of standard deviation sigma along both
// axes, as if the field were 0 outside the image.
void gaussian_blur(std::vector<float>& field, int H, int W, float sigma) {
  const int r = std::max(1, static_cast<int>(std::ceil(3.0f * sigma)));
  std::vector<float> k(2 * r + 1);
  float sum = 0;
  for (int i = -r; i <= r; ++i) sum += k[i + r] = std::exp(-0.5f * i * i / (sigma * sigma));
  for (float& v : k) v /= sum;
  std::vector<float> rows(field.size());
  for (int y = 0; y < H; ++y)
    for (int x = 0; x < W; ++x) {
      float acc = 0;
      for (int i = std::max(-r, -x); i <= std::min(r, W - 1 - x); ++i) acc += k[i + r] * field[y * W + x + i];
      rows[y * W + x] = acc;
    }
  for (int y = 0; y < H; ++y)
    for (int x = 0; x < W; ++x) {
      float acc = 0;
      for (int i = std::max(-r, -y); i <= std::min(r, H - 1 - y); ++i) acc += k[i + r] * rows[(y + i) * W + x];
      field[y * W + x] = acc;
    }
}

// A random displacement field: uniform noise in [-1, 1], smoothed, scaled by alpha.
std::vector<float> elastic_field(int H, int W, float alpha, float sigma, Rng* rng) {
  std::vector<float> f(static_cast<size_t>(H) * W);
  for (float& v : f) v = rng->uniform(-1.0f, 1.0f);
  gaussian_blur(f, H, W, sigma);
  for (float& v : f) v *= alpha;
  return f;
}

}  // namespace

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
  std::vector<float> ex, ey;
  if (aug.elastic_alpha > 0.0f) {
    ex = elastic_field(H, W, aug.elastic_alpha, aug.elastic_sigma, rng);
    ey = elastic_field(H, W, aug.elastic_alpha, aug.elastic_sigma, rng);
  }
  // Map each output pixel back into the source: p_src = R(-angle) (p - c - t) / zoom + c.
  const float cx = (W - 1) * 0.5f, cy = (H - 1) * 0.5f;
  const float cs = std::cos(angle) / zoom, sn = std::sin(angle) / zoom;
  for (int y = 0; y < H; ++y) {
    for (int x = 0; x < W; ++x) {
      // The elastic field moves the output pixel before the affine map takes it to the source.
      const float ox = ex.empty() ? 0.0f : ex[y * W + x], oy = ey.empty() ? 0.0f : ey[y * W + x];
      const float dx = x + ox - cx - tx, dy = y + oy - cy - ty;
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
