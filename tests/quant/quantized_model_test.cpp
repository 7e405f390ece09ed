// Post-training quantisation: per-channel weights within half a step, batch norm folding
// exact in float, and an int8 model that answers as its float model does.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>

#include "nn/layers/batchnorm_layer.h"
#include "nn/predict.h"
#include "quant/predict_int8.h"
#include "quant/quant_fixture.h"
#include "quant/quantized_model.h"

namespace dt {
namespace {

TEST_CASE("folding batch norm into conv2d and dense gives the float model's outputs") {
  const Model m = test::fast_like_model(3);
  auto f = fold_batch_norms(m);
  REQUIRE_MESSAGE(f.ok(), f.error());
  CHECK(f->model.num_layers() == m.num_layers() - 3);  // fast has three batch norms, each after conv2d or dense
  for (int r = 0; r < f->model.num_layers(); ++r)
    CHECK(!f->model.spec().layers[r].is<BatchNormParams>());
  const int n = 16;
  const auto px = test::stroke_images(n, 5);
  Workspace a(m, n), b(f->model, n);
  std::copy(px.begin(), px.end(), a.input());
  std::copy(px.begin(), px.end(), b.input());
  a.forward(m, n, false);
  b.forward(f->model, n, false);
  std::vector<float> want(a.output(), a.output() + n * 10), got(b.output(), b.output() + n * 10);
  const long bad = test::first_mismatch(got, want, 1e-4);
  INFO("first mismatch at " << bad);
  CHECK(bad == -1);
}

TEST_CASE("int8 weights round-trip per output channel within half a step") {
  const Model m = test::fast_like_model(4);
  const auto calib = test::stroke_images(40, 6);
  auto folded = fold_batch_norms(m);
  auto q = quantize(m, calib.data(), 40);
  REQUIRE_MESSAGE(q.ok(), q.error());
  REQUIRE(q->qlayers.size() == 4);  // two conv2d, two dense
  for (const QuantLayer& ql : q->qlayers) {
    const float* w = folded->model.params() + folded->model.layer_param_offset(ql.layer);
    for (int j = 0; j < ql.N; ++j) {
      float maxabs = 0;
      for (int k = 0; k < ql.K; ++k) maxabs = std::max(maxabs, std::fabs(w[static_cast<long>(k) * ql.N + j]));
      CHECK(ql.weight_scale[j] == doctest::Approx(maxabs / 127).epsilon(1e-6));
    }
    long bad = -1;
    for (int k = 0; k < ql.K && bad < 0; ++k)
      for (int j = 0; j < ql.N; ++j) {
        const long i = static_cast<long>(k) * ql.N + j;
        if (std::fabs(ql.weight[i] * ql.weight_scale[j] - w[i]) > ql.weight_scale[j] * 0.5f * 1.0001f) bad = i;
        if (ql.weight[i] == -128) bad = i;  // symmetric: [-127, 127]
      }
    INFO("layer " << ql.layer << " first weight off by more than scale/2: " << bad);
    CHECK(bad == -1);
    CHECK(ql.input_unsigned);  // pixels and ReLU outputs are never negative
    CHECK(ql.input_scale > 0);
  }
}

TEST_CASE("the int8 model agrees with the float model") {
  const Model m = test::fast_like_model(8);
  const auto calib = test::stroke_images(200, 9);
  auto q = quantize(m, calib.data(), 200);
  REQUIRE_MESSAGE(q.ok(), q.error());
  const int n = 300;
  const auto px = test::stroke_images(n, 10);
  std::vector<float> pf(n * 10), pq(n * 10);
  Workspace ws(m, 64);
  predict_probs(pf.data(), m, ws, px.data(), n);
  QuantWorkspace qws(*q, 64);
  predict_probs_int8(pq.data(), *q, qws, px.data(), n);
  int agree = 0;
  double max_diff = 0;
  for (int i = 0; i < n; ++i) {
    const float* a = pf.data() + i * 10;
    const float* b = pq.data() + i * 10;
    agree += std::max_element(a, a + 10) - a == std::max_element(b, b + 10) - b;
    for (int k = 0; k < 10; ++k) max_diff = std::max(max_diff, double(std::fabs(a[k] - b[k])));
  }
  MESSAGE("int8 vs float: " << agree << " of " << n << " agree, largest probability difference " << max_diff);
  CHECK(agree >= n * 95 / 100);
  CHECK(max_diff < 0.2);
}

TEST_CASE("int8 inference is the same in any chunking and for one image") {
  const Model m = test::fast_like_model(11);
  const auto calib = test::stroke_images(50, 12);
  auto q = quantize(m, calib.data(), 50);
  REQUIRE(q.ok());
  const int n = 37;
  const auto px = test::stroke_images(n, 13);
  std::vector<float> all(n * 10), chunked(n * 10), one(10);
  QuantWorkspace big(*q, 64), small(*q, 5), single(*q, 1);
  predict_probs_int8(all.data(), *q, big, px.data(), n);
  predict_probs_int8(chunked.data(), *q, small, px.data(), n);
  CHECK(all == chunked);
  predict_probs_int8(one.data(), *q, single, px.data() + 36 * 784, 1);
  CHECK(std::equal(one.begin(), one.end(), all.begin() + 36 * 10));
}

TEST_CASE("quantisation refuses no calibration images") {
  const Model m = test::fast_like_model(1);
  CHECK_FALSE(quantize(m, nullptr, 0).ok());
}

}  // namespace
}  // namespace dt
