// load_sample: plain conversion to [0,1], and the random affine and elastic augmentation
// measured by what they do to a digit-like blob (its mass and its centre) and to a stroke.
#include <doctest/doctest.h>

#include <cmath>
#include <cstdint>
#include <vector>

#include "data/augment.h"

namespace dt {
namespace {

constexpr int H = 28, W = 28;

// A solid 8x6 block (value 200) centred in the image, with a soft border: digit-like.
std::vector<uint8_t> blob() {
  std::vector<uint8_t> img(H * W, 0);
  for (int y = 10; y < 18; ++y)
    for (int x = 11; x < 17; ++x) img[y * W + x] = 200;
  for (int x = 11; x < 17; ++x) img[9 * W + x] = img[18 * W + x] = 80;
  return img;
}

struct Moments {
  double mass = 0, cx = 0, cy = 0;
};
Moments moments(const std::vector<float>& img) {
  Moments m;
  for (int y = 0; y < H; ++y)
    for (int x = 0; x < W; ++x) {
      m.mass += img[y * W + x];
      m.cx += x * img[y * W + x];
      m.cy += y * img[y * W + x];
    }
  m.cx /= m.mass;
  m.cy /= m.mass;
  return m;
}

std::vector<float> load(const std::vector<uint8_t>& img, const Augment& aug, Rng* rng) {
  std::vector<float> out(H * W, -1.0f);
  load_sample(out.data(), img.data(), H, W, aug, rng);
  return out;
}

TEST_CASE("augment: disabled, bytes become value / 255 exactly") {
  std::vector<uint8_t> img(H * W);
  for (int i = 0; i < H * W; ++i) img[i] = static_cast<uint8_t>(i % 256);
  Rng rng(1);
  const std::vector<float> out = load(img, Augment{}, &rng);
  for (int i = 0; i < H * W; ++i) REQUIRE_MESSAGE(out[i] == img[i] / 255.0f, "pixel " << i);
  CHECK(out[255] == 1.0f);
  CHECK(out[0] == 0.0f);
  CHECK(load(img, Augment{}, nullptr) == out);
}

TEST_CASE("augment: enabled without a random generator is the plain conversion") {
  const std::vector<uint8_t> img = blob();
  CHECK(load(img, Augment{10, 0.1f, 2}, nullptr) == load(img, Augment{}, nullptr));
}

TEST_CASE("augment: the same generator state gives the same transform") {
  const std::vector<uint8_t> img = blob();
  const Augment aug{15, 0.1f, 2};
  Rng a(99), b(99), c(100);
  const std::vector<float> out = load(img, aug, &a);
  CHECK(load(img, aug, &b) == out);
  CHECK(load(img, aug, &c) != out);
}

TEST_CASE("augment: shift-only moves the centre of mass by at most the shift, keeping the mass") {
  const std::vector<uint8_t> img = blob();
  const Moments before = moments(load(img, Augment{}, nullptr));
  const float shift = 3.0f;
  Rng rng(7);
  double max_dx = 0, max_dy = 0, sum_dx = 0;
  const int trials = 200;
  for (int t = 0; t < trials; ++t) {
    const Moments after = moments(load(img, Augment{0, 0, shift}, &rng));
    const double dx = after.cx - before.cx, dy = after.cy - before.cy;
    // A translation of a blob well inside the frame: bilinear resampling keeps its mass and
    // moves its centre by exactly the drawn offset, which is within [-shift, shift].
    REQUIRE(std::fabs(after.mass - before.mass) < 1e-3 * before.mass);
    REQUIRE(std::fabs(dx) <= shift + 1e-3);
    REQUIRE(std::fabs(dy) <= shift + 1e-3);
    max_dx = std::max(max_dx, std::fabs(dx));
    max_dy = std::max(max_dy, std::fabs(dy));
    sum_dx += dx;
  }
  // The offsets use the whole range, in both directions.
  CHECK(max_dx > 0.9 * shift);
  CHECK(max_dy > 0.9 * shift);
  CHECK(std::fabs(sum_dx / trials) < 0.5);
}

TEST_CASE("augment: a small rotation keeps the mass and the centre roughly") {
  const std::vector<uint8_t> img = blob();
  const Moments before = moments(load(img, Augment{}, nullptr));
  Rng rng(11);
  int changed = 0;
  for (int t = 0; t < 100; ++t) {
    const std::vector<float> out = load(img, Augment{10, 0, 0}, &rng);
    const Moments after = moments(out);
    REQUIRE(std::fabs(after.mass - before.mass) < 0.05 * before.mass);
    REQUIRE(std::fabs(after.cx - before.cx) < 0.5);
    REQUIRE(std::fabs(after.cy - before.cy) < 0.5);
    changed += out != load(img, Augment{}, nullptr);
  }
  CHECK(changed > 90);  // it does rotate
}

TEST_CASE("augment: scaling changes the mass by about the square of the zoom") {
  const std::vector<uint8_t> img = blob();
  const double mass = moments(load(img, Augment{}, nullptr)).mass;
  Rng rng(5);
  double lo = 1e9, hi = 0;
  for (int t = 0; t < 100; ++t) {
    const double m = moments(load(img, Augment{0, 0.2f, 0}, &rng)).mass / mass;
    lo = std::min(lo, m);
    hi = std::max(hi, m);
  }
  CHECK(lo > 0.8 * 0.8 * 0.9);
  CHECK(hi < 1.2 * 1.2 * 1.1);
  CHECK(lo < 0.85);  // both shrinking and growing happen
  CHECK(hi > 1.15);
}

// A vertical stroke: under an elastic field every row of it moves sideways by the field's
// horizontal value there, which never exceeds alpha (smoothing averages noise in [-1, 1]; with
// sigma 4 it is typically a twenty-fifth of alpha), and neighbouring rows move together.
TEST_CASE("augment: elastic distortion moves a stroke smoothly, by at most alpha") {
  std::vector<uint8_t> stroke(H * W, 0);
  for (int y = 4; y < 24; ++y) stroke[y * W + 14] = 255;
  const float alpha = 20.0f;
  Rng rng(21);
  double largest = 0;
  for (int t = 0; t < 100; ++t) {
    const std::vector<float> out = load(stroke, Augment{0, 0, 0, alpha, 4.0f}, &rng);
    double previous = -1;
    for (int y = 9; y < 19; ++y) {  // rows the stroke still covers whatever the vertical move
      double mass = 0, cx = 0;
      for (int x = 0; x < W; ++x) {
        mass += out[y * W + x];
        cx += x * out[y * W + x];
      }
      REQUIRE(mass > 0.5);
      cx /= mass;
      REQUIRE(std::fabs(cx - 14) <= alpha + 1e-3);
      if (previous >= 0) REQUIRE(std::fabs(cx - previous) < 1.0);
      previous = cx;
      largest = std::max(largest, std::fabs(cx - 14));
    }
  }
  CHECK(largest > 0.5);  // it does bend the stroke
}

TEST_CASE("augment: elastic distortion keeps the generator's affine draws and is repeatable") {
  const std::vector<uint8_t> img = blob();
  Rng a(5), b(5), c(5);
  const std::vector<float> elastic = load(img, Augment{10, 0.1f, 2, 5.0f, 4.0f}, &a);
  CHECK(load(img, Augment{10, 0.1f, 2, 5.0f, 4.0f}, &b) == elastic);
  CHECK(load(img, Augment{10, 0.1f, 2}, &c) != elastic);
  const Moments before = moments(load(img, Augment{}, nullptr));
  Rng d(8);
  for (int t = 0; t < 50; ++t) {
    const Moments after = moments(load(img, Augment{0, 0, 0, 5.0f, 4.0f}, &d));
    REQUIRE(std::fabs(after.mass - before.mass) < 0.25 * before.mass);
    REQUIRE(std::fabs(after.cx - before.cx) < 5.0);
  }
}

TEST_CASE("augment: outputs stay in [0, 1], even for a saturated image") {
  const std::vector<uint8_t> white(H * W, 255);
  const std::vector<uint8_t> digit = blob();
  Rng rng(3);
  for (int t = 0; t < 300; ++t) {
    for (const auto* img : {&white, &digit}) {
      const std::vector<float> out = load(*img, Augment{30, 0.3f, 4, t % 2 ? 30.0f : 0.0f, 2.0f}, &rng);
      for (int i = 0; i < H * W; ++i) REQUIRE_MESSAGE((out[i] >= 0.0f && out[i] <= 1.0f), "pixel " << i << " = " << out[i]);
    }
  }
}

TEST_CASE("augment: a shift far beyond the image gives background, not undefined behaviour") {
  const std::vector<uint8_t> img = blob();
  Rng rng(13);
  int empty = 0;
  for (int t = 0; t < 50; ++t) {
    const std::vector<float> out = load(img, Augment{0, 0, 1e30f}, &rng);
    bool all_zero = true;
    for (float v : out) all_zero = all_zero && v == 0.0f;
    empty += all_zero;
  }
  CHECK(empty == 50);
}

}  // namespace
}  // namespace dt
