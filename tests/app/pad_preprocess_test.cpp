// The drawing pad's MNIST-style preprocessing against hand-made pads: the ink's box is
// fitted to 20x20 keeping its aspect, centred by centre of mass in 28x28, anti-aliased.
#include <doctest/doctest.h>

#include <algorithm>
#include <vector>

#include "app/draw_pad.h"
#include "app/pad_preprocess.h"

namespace {

using dt::DigitImage;

constexpr int kPad = 200;

std::vector<float> blank() { return std::vector<float>(kPad * kPad, 0.0f); }

void fill_rect(std::vector<float>& pad, int x0, int y0, int x1, int y1, float value = 1.0f) {
  for (int y = y0; y < y1; ++y)
    for (int x = x0; x < x1; ++x) pad[y * kPad + x] = value;
}

struct Extent {
  int x0 = 28, y0 = 28, x1 = 0, y1 = 0;  // [x0, x1) x [y0, y1) of pixels above `threshold`
  int w() const { return x1 - x0; }
  int h() const { return y1 - y0; }
};

Extent extent(const DigitImage& img, float threshold = 0.05f) {
  Extent e;
  for (int y = 0; y < 28; ++y)
    for (int x = 0; x < 28; ++x)
      if (img[y * 28 + x] > threshold) {
        e.x0 = std::min(e.x0, x);
        e.y0 = std::min(e.y0, y);
        e.x1 = std::max(e.x1, x + 1);
        e.y1 = std::max(e.y1, y + 1);
      }
  return e;
}

void check_centred(const DigitImage& img) {
  float cx, cy;
  dt::centre_of_mass(img.data(), 28, 28, &cx, &cy);
  CHECK(cx == doctest::Approx(14.0).epsilon(0.02));
  CHECK(cy == doctest::Approx(14.0).epsilon(0.02));
}

}  // namespace

TEST_CASE("an empty pad gives an empty image") {
  const std::vector<float> pad = blank();
  const DigitImage img = dt::mnist_from_pad(pad.data(), kPad);
  CHECK(std::all_of(img.begin(), img.end(), [](float v) { return v == 0.0f; }));
}

TEST_CASE("an off-centre blob is moved to the centre and fitted to 20 pixels") {
  std::vector<float> pad = blank();
  fill_rect(pad, 5, 10, 45, 90);  // 40 wide, 80 tall, in the top-left corner
  const DigitImage img = dt::mnist_from_pad(pad.data(), kPad);
  const Extent e = extent(img);
  CHECK(e.h() == 20);                   // the long side fills the 20-pixel box
  CHECK(e.w() >= 10);                   // the aspect ratio is kept: 10 wide, plus at most
  CHECK(e.w() <= 11);                   //   one pixel of anti-aliased edge
  check_centred(img);
  CHECK(img[14 * 28 + 14] == doctest::Approx(1.0f));
}

TEST_CASE("a small digit is scaled up to the same box") {
  std::vector<float> pad = blank();
  fill_rect(pad, 150, 160, 154, 170);  // 4 x 10 pixels near the bottom-right corner
  const DigitImage img = dt::mnist_from_pad(pad.data(), kPad);
  const Extent e = extent(img);
  CHECK(e.h() == 20);
  CHECK(e.w() >= 8);
  CHECK(e.w() <= 9);
  check_centred(img);
}

TEST_CASE("a wide, thick stroke keeps its aspect: 20 wide, proportionally tall") {
  std::vector<float> pad = blank();
  fill_rect(pad, 20, 100, 180, 140);  // 160 x 40: a thick horizontal bar
  const DigitImage img = dt::mnist_from_pad(pad.data(), kPad);
  const Extent e = extent(img);
  CHECK(e.w() == 20);
  CHECK(e.h() >= 5);
  CHECK(e.h() <= 6);
  check_centred(img);
}

TEST_CASE("the centre of mass, not the box, is what gets centred") {
  // An L: a heavy vertical bar and a thin foot; its mass sits left of its box's middle.
  std::vector<float> pad = blank();
  fill_rect(pad, 40, 20, 80, 180);
  fill_rect(pad, 80, 170, 160, 180);
  const DigitImage img = dt::mnist_from_pad(pad.data(), kPad);
  check_centred(img);
  const Extent e = extent(img);
  CHECK(e.x0 + e.w() / 2.0 > 14.0);  // the box's middle ends up right of centre
}

TEST_CASE("downscaling is anti-aliased: a thin diagonal gives grey levels, all within [0,1]") {
  dt::DrawPad pad(kPad);
  pad.stroke(30, 30, 170, 170, 3.0f);
  const DigitImage img = dt::mnist_from_pad(pad.ink(), pad.size());
  const long grey = std::count_if(img.begin(), img.end(), [](float v) { return v > 0.05f && v < 0.95f; });
  CHECK(grey > 10);
  CHECK(std::all_of(img.begin(), img.end(), [](float v) { return v >= 0.0f && v <= 1.0f; }));
  check_centred(img);
}

TEST_CASE("the pad's pen: round, anti-aliased, cleared by clear()") {
  dt::DrawPad pad(64);
  CHECK(pad.empty());
  const unsigned before = pad.version();
  pad.stroke(32.25f, 32.5f, 32.25f, 32.5f, 5.0f);  // a dot
  CHECK_FALSE(pad.empty());
  CHECK(pad.version() != before);
  CHECK(pad.ink()[32 * 64 + 32] == doctest::Approx(1.0f));
  CHECK(pad.ink()[32 * 64 + 45] == 0.0f);                   // well outside the radius
  const float edge = pad.ink()[32 * 64 + 37];               // pixel centre 5.25 from the dot: 1/4 covered
  CHECK(edge == doctest::Approx(0.25f));
  pad.clear();
  CHECK(pad.empty());
  CHECK(std::all_of(pad.ink(), pad.ink() + 64 * 64, [](float v) { return v == 0.0f; }));
}
