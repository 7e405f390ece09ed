// Learning-rate schedules at their defining points.
#include <doctest/doctest.h>

#include "train/schedule.h"

namespace dt {
namespace {

TEST_CASE("constant and step") {
  Schedule s;
  CHECK(learning_rate(s, 0.1f, 50, 100, 10) == doctest::Approx(0.1f));
  s.kind = ScheduleKind::step;
  s.step_gamma = 0.5f;
  s.step_epochs = 2;
  CHECK(learning_rate(s, 0.1f, 19, 100, 10) == doctest::Approx(0.1f));   // epoch 1
  CHECK(learning_rate(s, 0.1f, 20, 100, 10) == doctest::Approx(0.05f));  // epoch 2
  CHECK(learning_rate(s, 0.1f, 45, 100, 10) == doctest::Approx(0.025f)); // epoch 4
}

TEST_CASE("cosine goes from lr to 0") {
  Schedule s;
  s.kind = ScheduleKind::cosine;
  CHECK(learning_rate(s, 0.2f, 0, 100, 10) == doctest::Approx(0.2f));
  CHECK(learning_rate(s, 0.2f, 50, 100, 10) == doctest::Approx(0.1f));
  CHECK(learning_rate(s, 0.2f, 100, 100, 10) == doctest::Approx(0.0f).epsilon(1e-6));
}

TEST_CASE("one-cycle warms up to lr, then anneals far below the start") {
  Schedule s;
  s.kind = ScheduleKind::one_cycle;
  const float lr = 0.01f;
  CHECK(learning_rate(s, lr, 0, 100, 10) == doctest::Approx(lr / 25));
  CHECK(learning_rate(s, lr, 25, 100, 10) == doctest::Approx(lr));
  CHECK(learning_rate(s, lr, 12, 100, 10) < lr);
  CHECK(learning_rate(s, lr, 100, 100, 10) == doctest::Approx(lr / 1e4f));
  float prev = lr;
  for (int step = 26; step <= 100; ++step) {  // monotone decrease after the peak
    const float cur = learning_rate(s, lr, step, 100, 10);
    CHECK(cur <= prev);
    prev = cur;
  }
}

TEST_CASE("schedule names") {
  CHECK(parse_schedule("one-cycle").ok());
  CHECK_FALSE(parse_schedule("linear").ok());
}

}  // namespace
}  // namespace dt
