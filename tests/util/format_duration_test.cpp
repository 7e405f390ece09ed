// Durations as the CLI's progress bar and the page's ETA show them.
#include <doctest/doctest.h>

#include <cmath>
#include <limits>

#include "util/format_duration.h"

TEST_CASE("durations read like a clock, hours only when there are some") {
  CHECK(dt::format_duration(0) == "0:00");
  CHECK(dt::format_duration(7.4) == "0:07");
  CHECK(dt::format_duration(59.6) == "1:00");  // rounded to the second
  CHECK(dt::format_duration(65) == "1:05");
  CHECK(dt::format_duration(3599) == "59:59");
  CHECK(dt::format_duration(3723) == "1:02:03");
  CHECK(dt::format_duration(100 * 3600.0) == "100:00:00");
}

TEST_CASE("a time that is not known yet is a question mark") {
  CHECK(dt::format_duration(-1) == "?");
  CHECK(dt::format_duration(std::numeric_limits<double>::infinity()) == "?");
  CHECK(dt::format_duration(std::nan("")) == "?");
  CHECK(dt::format_duration(1e300) == "?");  // an ETA at a speed of almost nothing
}
