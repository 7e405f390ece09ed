#include "app/pad_preprocess.h"

#include <algorithm>
#include <cmath>
#include <vector>

namespace dt {

namespace {

constexpr float kInkThreshold = 0.02f;  // coverage below this is anti-aliasing dust, not ink

struct Box {
  int x0, y0, x1, y1;  // [x0, x1) x [y0, y1)
  bool empty() const { return x1 <= x0 || y1 <= y0; }
};

Box ink_box(const float* pad, int size) {
  Box b{size, size, 0, 0};
  for (int y = 0; y < size; ++y)
    for (int x = 0; x < size; ++x)
      if (pad[y * size + x] > kInkThreshold) {
        b.x0 = std::min(b.x0, x);
        b.y0 = std::min(b.y0, y);
        b.x1 = std::max(b.x1, x + 1);
        b.y1 = std::max(b.y1, y + 1);
      }
  return b;
}

// Area-averaging resample of the box into (oh, ow): each output pixel is the mean of the pad
// area it covers, with fractional coverage at its edges.
std::vector<float> resample_box(const float* pad, int size, const Box& b, int oh, int ow) {
  std::vector<float> out(static_cast<size_t>(oh) * ow, 0.0f);
  const float sx = static_cast<float>(b.x1 - b.x0) / ow, sy = static_cast<float>(b.y1 - b.y0) / oh;
  for (int v = 0; v < oh; ++v) {
    const float fy0 = b.y0 + v * sy, fy1 = fy0 + sy;
    for (int u = 0; u < ow; ++u) {
      const float fx0 = b.x0 + u * sx, fx1 = fx0 + sx;
      double sum = 0, area = 0;
      for (int y = static_cast<int>(fy0); y < std::min<float>(fy1, size); ++y) {
        const float wy = std::min<float>(fy1, y + 1) - std::max<float>(fy0, y);
        if (wy <= 0) continue;
        for (int x = static_cast<int>(fx0); x < std::min<float>(fx1, size); ++x) {
          const float wx = std::min<float>(fx1, x + 1) - std::max<float>(fx0, x);
          if (wx <= 0) continue;
          sum += static_cast<double>(wx * wy) * pad[y * size + x];
          area += wx * wy;
        }
      }
      out[static_cast<size_t>(v) * ow + u] = area > 0 ? static_cast<float>(sum / area) : 0.0f;
    }
  }
  return out;
}

}  // namespace

void centre_of_mass(const float* img, int h, int w, float* cx, float* cy) {
  double m = 0, mx = 0, my = 0;
  for (int y = 0; y < h; ++y)
    for (int x = 0; x < w; ++x) {
      const double v = img[y * w + x];
      m += v;
      mx += v * (x + 0.5);
      my += v * (y + 0.5);
    }
  *cx = m > 0 ? static_cast<float>(mx / m) : w * 0.5f;
  *cy = m > 0 ? static_cast<float>(my / m) : h * 0.5f;
}

DigitImage mnist_from_pad(const float* pad, int size) {
  DigitImage out{};
  const Box b = ink_box(pad, size);
  if (b.empty()) return out;

  // 1. Fit the longer side of the ink's box to 20 pixels, keeping the aspect ratio.
  const int bw = b.x1 - b.x0, bh = b.y1 - b.y0;
  const float scale = static_cast<float>(kDigitBox) / std::max(bw, bh);
  const int ow = std::max(1, static_cast<int>(std::lround(bw * scale)));
  const int oh = std::max(1, static_cast<int>(std::lround(bh * scale)));
  const std::vector<float> fit = resample_box(pad, size, b, oh, ow);

  // 2. Place it so that its centre of mass lands on the centre of the 28x28 field; a
  //    fractional offset is spread bilinearly over neighbouring pixels (anti-aliased).
  float cx, cy;
  centre_of_mass(fit.data(), oh, ow, &cx, &cy);
  const float ox = kDigitSide * 0.5f - cx, oy = kDigitSide * 0.5f - cy;
  const int ix = static_cast<int>(std::floor(ox)), iy = static_cast<int>(std::floor(oy));
  const float fx = ox - ix, fy = oy - iy;
  const float weights[2][2] = {{(1 - fx) * (1 - fy), fx * (1 - fy)}, {(1 - fx) * fy, fx * fy}};
  for (int v = 0; v < oh; ++v)
    for (int u = 0; u < ow; ++u) {
      const float value = fit[static_cast<size_t>(v) * ow + u];
      for (int dy = 0; dy < 2; ++dy)
        for (int dx = 0; dx < 2; ++dx) {
          const int x = u + ix + dx, y = v + iy + dy;
          if (x >= 0 && x < kDigitSide && y >= 0 && y < kDigitSide) out[y * kDigitSide + x] += value * weights[dy][dx];
        }
    }
  for (float& p : out) p = std::min(1.0f, p);
  return out;
}

}  // namespace dt
