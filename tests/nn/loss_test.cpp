// Losses: values against hand computation, gradients against finite differences.
#include <doctest/doctest.h>

#include "nn/gradcheck.h"
#include "nn/ops/loss.h"
#include "test_util.h"

namespace dt {
namespace {

const uint8_t kLabels[] = {2, 0, 4};
constexpr int N = 3, K = 5;

TEST_CASE("softmax cross-entropy: value and gradient") {
  std::vector<double> z = {0, 0, 0, 0, 0}, p(K), dz(K);
  const uint8_t y = 1;
  const double loss = softmax_cross_entropy_ref(dz.data(), p.data(), z.data(), &y, 1, K, 1.0);
  CHECK(loss == doctest::Approx(std::log(5.0)));
  CHECK(dz[1] == doctest::Approx(0.2 - 1.0));
  CHECK(dz[0] == doctest::Approx(0.2));

  auto logits = test::random_doubles(N * K, 1, -3, 3);
  std::vector<double> probs(N * K), grad(N * K);
  softmax_cross_entropy_ref(grad.data(), probs.data(), logits.data(), kLabels, N, K, 1.0);
  std::vector<double> one = {1.0};
  test::check_gradient(
      "cross-entropy", logits,
      [&](const std::vector<double>& zz) {
        std::vector<double> pp(N * K);
        return std::vector<double>{softmax_cross_entropy_ref<double>(nullptr, pp.data(), zz.data(), kLabels, N, K, 0.0)};
      },
      one, grad);
}

TEST_CASE("label smoothing: 0 is plain cross-entropy; value and gradient") {
  auto logits = test::random_doubles(N * K, 4, -3, 3);
  std::vector<double> p(N * K), g_plain(N * K), g_zero(N * K), grad(N * K), one = {1.0};
  const double plain = softmax_cross_entropy_ref(g_plain.data(), p.data(), logits.data(), kLabels, N, K, 1.0);
  const double zero = softmax_cross_entropy_ref(g_zero.data(), p.data(), logits.data(), kLabels, N, K, 1.0, 0.0);
  CHECK(zero == doctest::Approx(plain));
  CHECK(test::first_mismatch(g_zero, g_plain, 1e-12) == -1);

  // Uniform logits: every target weighs log K, whatever the smoothing.
  std::vector<double> z(K, 0.0), dz(K);
  const uint8_t y = 3;
  CHECK(softmax_cross_entropy_ref(dz.data(), p.data(), z.data(), &y, 1, K, 1.0, 0.1) == doctest::Approx(std::log(5.0)));
  CHECK(dz[3] == doctest::Approx(0.2 - (0.9 + 0.02)));
  CHECK(dz[0] == doctest::Approx(0.2 - 0.02));

  softmax_cross_entropy_ref(grad.data(), p.data(), logits.data(), kLabels, N, K, 1.0, 0.1);
  test::check_gradient(
      "smoothed cross-entropy", logits,
      [&](const std::vector<double>& zz) {
        std::vector<double> pp(N * K);
        return std::vector<double>{
            softmax_cross_entropy_ref<double>(nullptr, pp.data(), zz.data(), kLabels, N, K, 0.0, 0.1)};
      },
      one, grad);
}

TEST_CASE("focal loss: gamma 0 is cross-entropy; gradient matches finite differences") {
  auto logits = test::random_doubles(N * K, 2, -3, 3);
  std::vector<double> p(N * K), g_ce(N * K), g_f0(N * K);
  const double ce = softmax_cross_entropy_ref(g_ce.data(), p.data(), logits.data(), kLabels, N, K, 1.0);
  const double f0 = focal_loss_ref(g_f0.data(), p.data(), logits.data(), kLabels, N, K, 0.0, 1.0);
  CHECK(f0 == doctest::Approx(ce));
  CHECK(test::first_mismatch(g_f0, g_ce, 1e-12) == -1);
  std::vector<double> grad(N * K), one = {1.0};
  const double f2 = focal_loss_ref(grad.data(), p.data(), logits.data(), kLabels, N, K, 2.0, 1.0);
  CHECK(f2 < ce);  // down-weights easy examples
  test::check_gradient(
      "focal", logits,
      [&](const std::vector<double>& zz) {
        std::vector<double> pp(N * K);
        return std::vector<double>{focal_loss_ref<double>(nullptr, pp.data(), zz.data(), kLabels, N, K, 2.0, 0.0)};
      },
      one, grad);
}

TEST_CASE("mse against one-hot: value and gradient") {
  std::vector<double> out = {0.5, 0.5, 0, 0, 0}, d(K);
  const uint8_t y = 0;
  const double l = mse_onehot_ref(d.data(), out.data(), &y, 1, K, 1.0);
  CHECK(l == doctest::Approx((0.25 + 0.25) / 5));
  auto o = test::random_doubles(N * K, 3);
  std::vector<double> grad(N * K), one = {1.0};
  mse_onehot_ref(grad.data(), o.data(), kLabels, N, K, 1.0);
  test::check_gradient(
      "mse", o,
      [&](const std::vector<double>& oo) {
        return std::vector<double>{mse_onehot_ref<double>(nullptr, oo.data(), kLabels, N, K, 0.0)};
      },
      one, grad);
}

}  // namespace
}  // namespace dt
