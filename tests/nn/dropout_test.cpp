// Dropout: inverted scaling keeps the expectation; masks depend on (seed, sample), not on how
// the batch is split; the backward routes through the same mask; inference is the identity.
#include <doctest/doctest.h>

#include "nn/layer.h"
#include "nn/ops/dropout.h"
#include "test_util.h"
#include "nn/layers/dropout_layer.h"

namespace dt {
namespace {

TEST_CASE("dropout keeps the expected value and drops about `rate`") {
  const int N = 50;
  const long D = 200;
  std::vector<float> x(N * D, 1.0f), y(x.size()), mask(x.size());
  dropout_forward_ref(y.data(), mask.data(), x.data(), N, D, 0.3f, 99, 0);
  double sum = 0;
  long zeros = 0;
  for (float v : y) {
    sum += v;
    zeros += v == 0.0f;
  }
  CHECK(sum / y.size() == doctest::Approx(1.0).epsilon(0.03));
  CHECK(double(zeros) / y.size() == doctest::Approx(0.3).epsilon(0.1));
}

TEST_CASE("dropout mask of a sample does not depend on the shard it is in") {
  const long D = 16;
  std::vector<float> x(4 * D, 1.0f), whole(x.size()), mask(x.size());
  dropout_forward_ref(whole.data(), mask.data(), x.data(), 4, D, 0.5f, 7, 0);
  std::vector<float> second_half(2 * D), mask2(2 * D);
  dropout_forward_ref(second_half.data(), mask2.data(), x.data() + 2 * D, 2, D, 0.5f, 7, 2);
  for (long i = 0; i < 2 * D; ++i) CHECK(second_half[i] == whole[2 * D + i]);
}

TEST_CASE("dropout layer: backward uses the mask, inference is the identity") {
  DropoutParams s{0.5f};
  auto layer = s.build({1, 1, 10});
  REQUIRE(layer.ok());
  auto x = test::random_floats(30, 1);
  std::vector<float> y(30), saved((*layer)->saved_floats(3)), dx(30), dy(30, 1.0f);
  Pass p;
  p.n = 3;
  p.in = x.data();
  p.out = y.data();
  p.saved = saved.data();
  p.training = true;
  p.seed = 5;
  (*layer)->forward(p);
  p.dout = dy.data();
  p.din = dx.data();
  (*layer)->backward(p);
  for (int i = 0; i < 30; ++i) {
    CHECK(dx[i] == saved[i]);
    CHECK(y[i] == doctest::Approx(x[i] * saved[i]));
  }
  p.training = false;
  (*layer)->forward(p);
  CHECK(y == x);
  s.rate = 1.0f;
  CHECK_FALSE(s.build({1, 1, 10}).ok());
}

}  // namespace
}  // namespace dt
