// Metrics against a confusion matrix worked out by hand.
#include <doctest/doctest.h>

#include "metrics/metrics.h"

namespace dt {
namespace {

// Classes 0..2 used; truth rows, predicted columns:
//          p0 p1 p2
//   t0  [   5  1  0 ]
//   t1  [   2  3  1 ]
//   t2  [   0  0  4 ]
ConfusionMatrix hand_matrix() {
  ConfusionMatrix cm;
  const int counts[3][3] = {{5, 1, 0}, {2, 3, 1}, {0, 0, 4}};
  for (int t = 0; t < 3; ++t)
    for (int p = 0; p < 3; ++p)
      for (int k = 0; k < counts[t][p]; ++k) cm.add(t, p);
  return cm;
}

TEST_CASE("accuracy, precision, recall, F1") {
  const ConfusionMatrix cm = hand_matrix();
  CHECK(cm.total() == 16);
  CHECK(cm.correct() == 12);
  CHECK(cm.accuracy() == doctest::Approx(12.0 / 16));
  const ClassScores s0 = cm.scores(0);
  CHECK(s0.precision == doctest::Approx(5.0 / 7));
  CHECK(s0.recall == doctest::Approx(5.0 / 6));
  CHECK(s0.f1 == doctest::Approx(2 * (5.0 / 7) * (5.0 / 6) / (5.0 / 7 + 5.0 / 6)));
  CHECK(s0.support == 6);
  const ClassScores s1 = cm.scores(1);
  CHECK(s1.precision == doctest::Approx(3.0 / 4));
  CHECK(s1.recall == doctest::Approx(3.0 / 6));
  const ClassScores s2 = cm.scores(2);
  CHECK(s2.precision == doctest::Approx(4.0 / 5));
  CHECK(s2.recall == doctest::Approx(1.0));
  // Classes 3..9 never occur: their scores are 0 and they count in the macro average of 10.
  CHECK(cm.scores(7).f1 == 0.0);
  CHECK(cm.macro_recall() == doctest::Approx((5.0 / 6 + 0.5 + 1.0) / 10));
}

TEST_CASE("Cohen's kappa") {
  const ConfusionMatrix cm = hand_matrix();
  // p_o = 12/16; p_e = (6*7 + 6*4 + 4*5) / 16^2 = 86/256.
  const double po = 12.0 / 16, pe = 86.0 / 256;
  CHECK(cm.cohen_kappa() == doctest::Approx((po - pe) / (1 - pe)));
  ConfusionMatrix perfect;
  for (int k = 0; k < 10; ++k) perfect.add(k, k);
  CHECK(perfect.cohen_kappa() == doctest::Approx(1.0));
}

TEST_CASE("merge adds counts") {
  ConfusionMatrix a = hand_matrix(), b = hand_matrix();
  a.merge(b);
  CHECK(a.at(1, 0) == 4);
  CHECK(a.total() == 32);
}

}  // namespace
}  // namespace dt
