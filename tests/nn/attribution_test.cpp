// Attribution: the input gradient through the inference path against finite differences of
// the inference forward, and occlusion on cases whose answer is known or computed another way.
#include <doctest/doctest.h>

#include <cmath>
#include <cstring>

#include "nn/attribution.h"
#include "nn/layers/activation_layers.h"
#include "nn/layers/batchnorm_layer.h"
#include "nn/layers/conv2d_layer.h"
#include "nn/layers/dense_layer.h"
#include "nn/layers/dropout_layer.h"
#include "nn/layers/flatten_layer.h"
#include "nn/layers/pool_layers.h"
#include "nn/ops/activations.h"
#include "test_util.h"

namespace dt {
namespace {

// Every kind of layer the presets use, on a 28x28 input, with batch norm's running statistics
// and affine parameters far from their identity initialisation (so that a backward using the
// batch's statistics, or forgetting gamma or the running variance, gives another answer).
Model tiny_cnn() {
  ModelSpec spec;
  spec.layers = {Conv2dParams{4, 3}, BatchNormParams{}, ReluParams{}, MaxPoolParams(2), DropoutParams{0.5f},
                 Conv2dParams{3, 3}, ReluParams{}, FlattenParams{}, DenseParams{8}, BatchNormParams{},
                 ReluParams{}, DenseParams{10}};
  Result<Model> m = Model::build(spec);
  REQUIRE(m.ok());
  m->initialize(5);
  Rng rng(6);
  for (const TensorInfo& t : m->tensors()) {
    float* v = m->params() + t.offset;
    const std::string kind = t.name.substr(t.name.rfind('.') + 1);
    for (long i = 0; i < t.size; ++i) {
      if (kind == "gamma") v[i] = rng.uniform(0.5f, 2.0f);
      if (kind == "beta") v[i] = rng.uniform(-0.3f, 0.3f);
      if (kind == "running_mean") v[i] = rng.uniform(-0.5f, 0.5f);
      if (kind == "running_var") v[i] = rng.uniform(0.2f, 3.0f);
    }
  }
  return std::move(*m);
}

float logit(const Model& m, Workspace& ws, const std::vector<float>& x, int k) {
  std::memcpy(ws.input(), x.data(), sizeof(float) * x.size());
  ws.forward(m, 1, /*training=*/false);
  return ws.output()[k];
}

double norm(const std::vector<double>& v) {
  double s = 0;
  for (double x : v) s += x * x;
  return std::sqrt(s);
}

TEST_CASE("the logit's input gradient after an inference forward matches finite differences") {
  const Model m = tiny_cnn();
  Workspace ws(m, 3), probe(m, 1);
  std::vector<float> x = test::random_floats(kDigitPixels, 7, 0.0f, 1.0f);
  for (int k : {0, 3, 9}) {
    const std::vector<float> grad = logit_gradient(m, ws, x.data(), k);
    REQUIRE(grad.size() == size_t(kDigitPixels));
    // The network is piecewise linear (conv, batch norm in inference, ReLU, max pool, dense),
    // so where no ReLU or pool winner flips within +-h of a pixel, the logit is linear there and
    // a difference quotient is exact but for float rounding (~1e-6 of the logit, over h = 1e-2:
    // ~1e-4). Such pixels are those whose forward and backward quotients agree; on them the
    // analytic gradient must match to 2e-4 + 1e-3 relative. Pixels whose +-h crosses a kink
    // (a few percent with this many units) have no single derivative to compare with.
    const float h = 1e-2f;
    const double centre = logit(m, probe, x, k);
    std::vector<double> numeric, analytic;
    std::vector<int> pixel;
    for (int i = 0; i < kDigitPixels; ++i) {
      const float keep = x[i];
      x[i] = keep + h;
      const double up = logit(m, probe, x, k);
      x[i] = keep - h;
      const double down = logit(m, probe, x, k);
      x[i] = keep;
      const double forward = (up - centre) / h, backward = (centre - down) / h;
      if (std::fabs(forward - backward) > 2e-4) continue;  // a kink within +-h
      numeric.push_back((up - down) / (2.0 * h));
      analytic.push_back(grad[i]);
      pixel.push_back(i);
    }
    INFO("class " << k << ": " << numeric.size() << " of " << kDigitPixels << " pixels locally linear");
    CHECK(numeric.size() >= size_t(0.8 * kDigitPixels));
    CHECK(norm(numeric) > 1e-1);  // the check compares something
    for (size_t i = 0; i < numeric.size(); ++i) {
      INFO("pixel " << pixel[i] << ": analytic " << analytic[i] << " numeric " << numeric[i]);
      CHECK(std::fabs(analytic[i] - numeric[i]) <= 2e-4 + 1e-3 * std::fabs(numeric[i]));
    }

    // gradient x input is that gradient times the pixel.
    const std::vector<float> gxi = gradient_x_input(m, ws, x.data(), k);
    for (int i = 0; i < kDigitPixels; i += 37) CHECK(gxi[i] == doctest::Approx(x[i] * grad[i]));
  }
}

TEST_CASE("an input gradient leaves the parameters, and a training step after it, as they were") {
  const Model m = tiny_cnn();
  const std::vector<float> before(m.params(), m.params() + m.num_params());
  const int N = 2;
  const std::vector<float> x = test::random_floats(N * kDigitPixels, 8, 0.0f, 1.0f);
  const std::vector<float> dy = test::random_floats(N * 10, 10);
  // The same training forward and backward on a fresh workspace and on one that has just
  // explained an image (in inference mode): the backward must follow the latest forward's mode.
  auto training_grads = [&](Workspace& ws) {
    std::memcpy(ws.input(), x.data(), sizeof(float) * x.size());
    ws.forward(m, N, /*training=*/true, 3);
    std::copy(dy.begin(), dy.end(), ws.output_grad());
    std::vector<float> g(m.num_params(), 0.0f);
    ws.backward(m, N, g.data());
    return g;
  };
  Workspace fresh(m, N), used(m, N);
  logit_gradient(m, used, x.data(), 2);
  CHECK(std::memcmp(before.data(), m.params(), sizeof(float) * before.size()) == 0);
  CHECK(training_grads(used) == training_grads(fresh));
}

// dense-only: class 0's logit is 0.25 times the sum of a 4x4 region of pixels (0.25 and sums
// of it are exact in float, whatever order a kernel adds them in), class 1's is 0.
Model region_reader(int top, int left, int side) {
  ModelSpec spec;
  spec.layers = {FlattenParams{}, DenseParams{2}};
  Result<Model> m = Model::build(spec);
  REQUIRE(m.ok());
  float* w = m->params();  // (784, 2), then the bias (2)
  std::fill(w, w + m->num_params(), 0.0f);
  for (int r = top; r < top + side; ++r)
    for (int c = left; c < left + side; ++c) w[(r * kDigitSide + c) * 2 + 0] = 0.25f;
  return std::move(*m);
}

// Patch starts along one 28-pixel axis, written out independently of the library: every
// multiple of the stride that fits, and the last position that fits.
std::vector<int> starts(int size, int stride) {
  std::vector<int> s;
  for (int y = 0; y + size <= kDigitSide; ++y)
    if (y % stride == 0 || y == kDigitSide - size) s.push_back(y);
  return s;
}

TEST_CASE("occlusion of a model that reads one region: positive over it, 0 far from it, as computed by hand") {
  const int top = 10, left = 12, side = 4;
  const Model m = region_reader(top, left, side);
  Workspace ws(m, 16);
  const std::vector<float> image(kDigitPixels, 1.0f);  // nothing blank: every patch runs
  for (OcclusionPatch patch : {OcclusionPatch{5, 1}, OcclusionPatch{7, 2}}) {
    INFO("patch " << patch.size << " stride " << patch.stride);
    const std::vector<float> map = occlusion(m, ws, image.data(), 0, patch);
    REQUIRE(map.size() == size_t(kDigitPixels));
    // By hand: a patch hiding `o` of the region's pixels leaves class 0 the logit
    // 0.25 (16 - o), so p_0 = sigmoid(0.25 (16 - o)).
    auto p0 = [](int hidden) { return 1.0 / (1.0 + std::exp(-0.25 * (16 - hidden))); };
    std::vector<double> sum(kDigitPixels, 0.0), count(kDigitPixels, 0.0);
    for (int y : starts(patch.size, patch.stride))
      for (int x : starts(patch.size, patch.stride)) {
        const int oh = std::max(0, std::min(y + patch.size, top + side) - std::max(y, top));
        const int ow = std::max(0, std::min(x + patch.size, left + side) - std::max(x, left));
        const double drop = p0(0) - p0(oh * ow);
        for (int r = y; r < y + patch.size; ++r)
          for (int c = x; c < x + patch.size; ++c) {
            sum[r * kDigitSide + c] += drop;
            count[r * kDigitSide + c] += 1;
          }
      }
    for (int r = 0; r < kDigitSide; ++r)
      for (int c = 0; c < kDigitSide; ++c) {
        const int i = r * kDigitSide + c;
        REQUIRE(count[i] > 0);
        INFO("pixel " << r << "," << c);
        CHECK(map[i] == doctest::Approx(sum[i] / count[i]).epsilon(1e-4).scale(1e-6));
        const bool inside = r >= top && r < top + side && c >= left && c < left + side;
        if (inside) CHECK(map[i] > 0.01f);
        // No patch covering a pixel this far from the region reaches it: p_0 is unchanged.
        const int far = patch.size;
        if (r < top - far || r >= top + side + far || c < left - far || c >= left + side + far)
          CHECK(map[i] == 0.0f);
      }
  }
}

TEST_CASE("occlusion of a CNN: batched as one image at a time, 0 where the patches hide only background") {
  const Model m = tiny_cnn();
  Workspace ws(m, 7);  // 7 does not divide the patch count: the last batch is partial
  std::vector<float> image(kDigitPixels, 0.0f);
  Rng rng(9);
  for (int r = 4; r < 24; ++r)  // a blob in the left half, the right half blank
    for (int c = 3; c < 13; ++c) image[r * kDigitSide + c] = rng.uniform(0.2f, 1.0f);
  const OcclusionPatch patch{5, 2};
  const int k = 4;
  const std::vector<float> map = occlusion(m, ws, image.data(), k, patch);

  // One image at a time, every patch, no skipping.
  Workspace one(m, 1);
  auto p_k = [&](const std::vector<float>& x) {
    std::memcpy(one.input(), x.data(), sizeof(float) * x.size());
    one.forward(m, 1, false);
    std::vector<float> p(10);
    softmax_row(p.data(), one.output(), 10);
    return double(p[k]);
  };
  const double p_original = p_k(image);
  std::vector<double> sum(kDigitPixels, 0.0), count(kDigitPixels, 0.0);
  for (int y : starts(patch.size, patch.stride))
    for (int x : starts(patch.size, patch.stride)) {
      std::vector<float> hidden = image;
      for (int r = y; r < y + patch.size; ++r)
        for (int c = x; c < x + patch.size; ++c) hidden[r * kDigitSide + c] = 0.0f;
      const double drop = p_original - p_k(hidden);
      for (int r = y; r < y + patch.size; ++r)
        for (int c = x; c < x + patch.size; ++c) {
          sum[r * kDigitSide + c] += drop;
          count[r * kDigitSide + c] += 1;
        }
    }
  double largest = 0;
  for (int i = 0; i < kDigitPixels; ++i) largest = std::max(largest, std::fabs(sum[i] / count[i]));
  CHECK(largest > 1e-3);  // the blob matters to class k
  // Up to float rounding, which differs between a batch and a lone image.
  for (int i = 0; i < kDigitPixels; ++i) {
    INFO("pixel " << i / kDigitSide << "," << i % kDigitSide << ": " << map[i] << " vs " << sum[i] / count[i]);
    CHECK(std::fabs(map[i] - sum[i] / count[i]) <= 1e-3 * largest);
  }
  // Every patch over columns 18 and beyond hides only background.
  for (int r = 0; r < kDigitSide; ++r)
    for (int c = 18; c < kDigitSide; ++c) CHECK(map[r * kDigitSide + c] == 0.0f);
}

TEST_CASE("top pixels: largest |value| first, ties in reading order, never more than the map") {
  std::vector<float> map(12, 0.0f);  // 3 rows of 4
  map[5] = -3.0f;
  map[2] = 2.0f;
  map[9] = 2.0f;
  map[11] = 1.0f;
  const std::vector<PixelValue> top = top_pixels(map, 4, 3);
  REQUIRE(top.size() == 3);
  CHECK((top[0].row == 1 && top[0].col == 1 && top[0].value == -3.0f));
  CHECK((top[1].row == 0 && top[1].col == 2 && top[1].value == 2.0f));
  CHECK((top[2].row == 2 && top[2].col == 1 && top[2].value == 2.0f));
  CHECK(top_pixels(map, 4, 50).size() == 12);
  CHECK(top_pixels(map, 4, -1).empty());
}

TEST_CASE("attribution methods by name") {
  CHECK(*attribution_method_from_name("gradient") == AttributionMethod::gradient_x_input);
  CHECK(*attribution_method_from_name("occlusion") == AttributionMethod::occlusion);
  const Result<AttributionMethod> bad = attribution_method_from_name("lime");
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.error().find("gradient or occlusion") != std::string::npos);
  CHECK(std::string(attribution_method_name(AttributionMethod::occlusion)) == "occlusion");
}

}  // namespace
}  // namespace dt
