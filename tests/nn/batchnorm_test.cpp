// Batch normalisation: training-mode backward (through the batch statistics) against finite
// differences; inference uses the running statistics, and its backward (attribution's) treats
// them as constants; running statistics follow the batch.
#include <doctest/doctest.h>

#include "kernels/simd.h"
#include "nn/gradcheck.h"
#include "nn/layer.h"
#include "nn/ops/batchnorm.h"
#include "nn/layer_run.h"
#include "test_util.h"
#include "nn/layers/batchnorm_layer.h"

namespace dt {
namespace {

TEST_CASE("batchnorm backward matches finite differences") {
  const long R = 6;
  const int C = 3;
  auto x = test::random_doubles(R * C, 1, -2, 2);
  auto gamma = test::random_doubles(C, 2, 0.5, 1.5);
  auto beta = test::random_doubles(C, 3);
  auto r = test::random_doubles(R * C, 4);
  const double eps = 1e-3;
  std::vector<double> y(R * C), mean(C), rstd(C), dx(R * C), dgamma(C, 0.0), dbeta(C, 0.0), work(2 * C);
  batchnorm_forward_train_ref(y.data(), mean.data(), rstd.data(), x.data(), gamma.data(), beta.data(), R, C, eps);
  batchnorm_backward_ref(dx.data(), dgamma.data(), dbeta.data(), r.data(), x.data(), mean.data(), rstd.data(),
                         gamma.data(), R, C, work.data());
  auto run = [&](const std::vector<double>& xx, const std::vector<double>& gg, const std::vector<double>& bb) {
    std::vector<double> out(R * C), m(C), s(C);
    batchnorm_forward_train_ref(out.data(), m.data(), s.data(), xx.data(), gg.data(), bb.data(), R, C, eps);
    return out;
  };
  test::check_gradient("batchnorm dx", x, [&](const std::vector<double>& v) { return run(v, gamma, beta); }, r, dx);
  test::check_gradient("batchnorm dgamma", gamma, [&](const std::vector<double>& v) { return run(x, v, beta); }, r,
                       dgamma);
  test::check_gradient("batchnorm dbeta", beta, [&](const std::vector<double>& v) { return run(x, gamma, v); }, r,
                       dbeta);
}

TEST_CASE("batchnorm layer: running statistics move toward the batch's, inference uses them") {
  BatchNormParams s;
  s.momentum = 0.5f;
  auto layer = s.build({2, 2, 2});
  REQUIRE(layer.ok());
  const int N = 4;
  std::vector<float> params(8);
  Rng rng(1);
  (*layer)->init(params.data(), Init::glorot_uniform, rng);
  CHECK(params[0] == 1.0f);  // gamma
  CHECK(params[6] == 1.0f);  // running var
  std::vector<float> x(N * 8);
  for (size_t i = 0; i < x.size(); ++i) x[i] = (i % 2 == 0) ? 3.0f + float(i % 5) : -1.0f;  // channel 1 constant
  test::LayerRun run(**layer, N, x.data(), params.data());
  Pass& p = run.pass;
  const std::vector<float>& y = run.out;
  (*layer)->forward(p);
  (*layer)->after_step(params.data(), {run.saved.data()}, {N});
  CHECK(params[5] == doctest::Approx(0.5f * -1.0f));   // running mean of channel 1: half way to -1
  CHECK(params[7] == doctest::Approx(0.5f * 1.0f + 0.5f * 0.0f).epsilon(1e-3));  // its variance is 0
  p.training = false;
  (*layer)->forward(p);
  // Inference: channel 1 normalised by running stats: (-1 - (-0.5)) / sqrt(0.5 + eps).
  CHECK(y[1] == doctest::Approx(-0.5f / std::sqrt(0.5f + 1e-3f)));
}

}  // namespace
}  // namespace dt

namespace dt {
namespace {

TEST_CASE("batchnorm layer (channel-vectorised) matches the reference op") {
  const int W = simd::kWidth;
  for (int C : {1, 3, W - 1, W, W + 1, 2 * W + 3}) {
    if (C <= 0) continue;
    const Shape3 shape{3, 5, C};
    auto layer = BatchNormParams{}.build(shape);
    REQUIRE(layer.ok());
    const int N = 2;
    const long R = N * 15L;
    auto x = test::random_floats(R * C, C, -2, 3);
    auto params = test::random_floats(4 * C, C + 1, 0.5f, 1.5f);  // gamma, beta, running mean, running var
    std::vector<float> y_ref(R * C), mean(C), rstd(C);
    test::LayerRun run(**layer, N, x.data(), params.data());
    Pass& p = run.pass;
    const std::vector<float>& y = run.out;
    (*layer)->forward(p);
    batchnorm_forward_train_ref(y_ref.data(), mean.data(), rstd.data(), x.data(), params.data(), params.data() + C, R,
                                C, 1e-3f);
    INFO("C=" << C);
    CHECK(test::first_mismatch(y, y_ref, 1e-5) == -1);

    auto dy = test::random_floats(R * C, C + 2);
    std::vector<float> dx(R * C), dx_ref(R * C), g(4 * C, 0.0f), g_ref(2 * C, 0.0f), work(2 * C);
    p.dout = dy.data();
    p.din = dx.data();
    p.grads = g.data();
    (*layer)->backward(p);
    batchnorm_backward_ref(dx_ref.data(), g_ref.data(), g_ref.data() + C, dy.data(), x.data(), mean.data(),
                           rstd.data(), params.data(), R, C, work.data());
    CHECK(test::first_mismatch(dx, dx_ref, 1e-4) == -1);
    CHECK(test::first_mismatch(std::vector<float>(g.begin(), g.begin() + 2 * C), g_ref, 1e-4) == -1);

    p.training = false;
    (*layer)->forward(p);
    batchnorm_forward_infer_ref(y_ref.data(), x.data(), params.data(), params.data() + C, params.data() + 2 * C,
                                params.data() + 3 * C, R, C, 1e-3f);
    CHECK(test::first_mismatch(y, y_ref, 1e-5) == -1);
  }
}

}  // namespace
}  // namespace dt

namespace dt {
namespace {

// After an inference forward the layer is y = gamma (x - running_mean) / sqrt(running_var +
// eps) + beta: its backward must be that affine map's, not the training one's (which
// differentiates through the batch's statistics). Central differences of an affine map are
// exact but for float rounding.
TEST_CASE("batchnorm backward after an inference forward matches finite differences") {
  const int W = simd::kWidth;
  for (int C : {3, W + 1}) {
    const Shape3 shape{2, 3, C};
    auto layer = BatchNormParams{}.build(shape);
    REQUIRE(layer.ok());
    const int N = 2;
    const long size = N * shape.size();
    auto x = test::random_floats(size, 11, -2, 2);
    std::vector<float> params(4 * C);
    Rng rng(12);
    for (int c = 0; c < C; ++c) {
      params[c] = rng.uniform(0.5f, 2.0f);           // gamma
      params[C + c] = rng.uniform(-0.5f, 0.5f);      // beta
      params[2 * C + c] = rng.uniform(-1.0f, 1.0f);  // running mean
      params[3 * C + c] = rng.uniform(0.3f, 3.0f);   // running variance
    }
    auto r = test::random_floats(size, 13);
    test::LayerRun run(**layer, N, x.data(), params.data());
    Pass& p = run.pass;
    p.training = false;
    (*layer)->forward(p);
    std::vector<float> dx(size), g(4 * C, 0.0f);
    p.dout = r.data();
    p.din = dx.data();
    p.grads = g.data();
    (*layer)->backward(p);

    auto loss = [&](const std::vector<float>& xs, const std::vector<float>& ps) {
      test::LayerRun probe(**layer, N, xs.data(), ps.data());
      probe.pass.training = false;
      (*layer)->forward(probe.pass);
      double l = 0;
      for (long i = 0; i < size; ++i) l += double(probe.out[i]) * r[i];
      return l;
    };
    auto numeric = [&](std::vector<float>& v, long i) {
      const float keep = v[i], h = 1e-2f;
      v[i] = keep + h;
      const double up = loss(x, params);
      v[i] = keep - h;
      const double down = loss(x, params);
      v[i] = keep;
      return (up - down) / (2.0 * h);
    };
    INFO("C=" << C);
    for (long i = 0; i < size; ++i) {
      INFO("dx[" << i << "]");
      CHECK(dx[i] == doctest::Approx(numeric(x, i)).epsilon(1e-3));
    }
    for (int i = 0; i < 2 * C; ++i) {  // dgamma, dbeta
      INFO("dparam[" << i << "]");
      CHECK(g[i] == doctest::Approx(numeric(params, i)).epsilon(1e-3));
    }
    // Parameter gradients are optional: without them the input gradient is the same.
    std::vector<float> dx_only(size);
    p.din = dx_only.data();
    p.grads = nullptr;
    (*layer)->backward(p);
    CHECK(dx_only == dx);
  }
}

}  // namespace
}  // namespace dt
