#include "app/draw_pad.h"

#include <algorithm>
#include <cmath>

namespace dt {

void DrawPad::clear() {
  std::fill(ink_.begin(), ink_.end(), 0.0f);
  empty_ = true;
  ++version_;
}

void DrawPad::stroke(float x0, float y0, float x1, float y1, float radius) {
  const float dx = x1 - x0, dy = y1 - y0, len2 = dx * dx + dy * dy;
  const int xa = std::max(0, static_cast<int>(std::floor(std::min(x0, x1) - radius - 1)));
  const int xb = std::min(size_ - 1, static_cast<int>(std::ceil(std::max(x0, x1) + radius + 1)));
  const int ya = std::max(0, static_cast<int>(std::floor(std::min(y0, y1) - radius - 1)));
  const int yb = std::min(size_ - 1, static_cast<int>(std::ceil(std::max(y0, y1) + radius + 1)));
  for (int y = ya; y <= yb; ++y)
    for (int x = xa; x <= xb; ++x) {
      // Distance from the pixel centre to the segment; coverage falls off over one pixel.
      const float px = x + 0.5f - x0, py = y + 0.5f - y0;
      const float t = len2 > 0 ? std::clamp((px * dx + py * dy) / len2, 0.0f, 1.0f) : 0.0f;
      const float ex = px - t * dx, ey = py - t * dy;
      const float coverage = std::clamp(radius + 0.5f - std::sqrt(ex * ex + ey * ey), 0.0f, 1.0f);
      float& v = ink_[static_cast<size_t>(y) * size_ + x];
      v = std::max(v, coverage);
    }
  empty_ = false;
  ++version_;
}

void DrawPad::paint_image(const float* pixels, int side) {
  const float scale = static_cast<float>(side) / static_cast<float>(size_);
  auto at = [&](int y, int x) { return pixels[std::clamp(y, 0, side - 1) * side + std::clamp(x, 0, side - 1)]; };
  empty_ = true;
  for (int y = 0; y < size_; ++y)
    for (int x = 0; x < size_; ++x) {
      const float u = (x + 0.5f) * scale - 0.5f, v = (y + 0.5f) * scale - 0.5f;
      const int x0 = static_cast<int>(std::floor(u)), y0 = static_cast<int>(std::floor(v));
      const float fx = u - x0, fy = v - y0;
      const float top = at(y0, x0) * (1 - fx) + at(y0, x0 + 1) * fx;
      const float bottom = at(y0 + 1, x0) * (1 - fx) + at(y0 + 1, x0 + 1) * fx;
      const float value = top * (1 - fy) + bottom * fy;
      ink_[static_cast<size_t>(y) * size_ + x] = value;
      if (value > 0) empty_ = false;
    }
  ++version_;
}

}  // namespace dt
