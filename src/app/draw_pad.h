// The drawing pad's ink: a square coverage bitmap that strokes are painted into as
// anti-aliased round-capped segments, like a pen of fixed width.
#pragma once
#include <cstddef>
#include <vector>

namespace dt {

class DrawPad {
 public:
  explicit DrawPad(int size = 224) : size_(size), ink_(static_cast<size_t>(size) * size, 0.0f) {}
  int size() const { return size_; }
  const float* ink() const { return ink_.data(); }
  bool empty() const { return empty_; }
  void clear();
  // A segment from (x0, y0) to (x1, y1) in pad pixels, pen radius in pad pixels.
  void stroke(float x0, float y0, float x1, float y1, float radius);
  // Replaces the ink with a (side, side) image of values in [0, 1], scaled up bilinearly (a
  // test image put on the pad).
  void paint_image(const float* pixels, int side);
  // Bumped on every change, so that a viewer knows when to re-run inference.
  unsigned version() const { return version_; }

 private:
  int size_;
  std::vector<float> ink_;  // (size, size) coverage in [0,1]
  bool empty_ = true;
  unsigned version_ = 0;
};

}  // namespace dt
