// The confusion matrix and per-class scores as every front end writes them.
#include <doctest/doctest.h>

#include "metrics/metrics_json.h"

TEST_CASE("the confusion matrix is 10 rows of 10 counts, row = true class") {
  dt::ConfusionMatrix cm;
  cm.add(3, 3);
  cm.add(3, 5);
  cm.add(3, 5);
  cm.add(7, 1);
  const nlohmann::json j = dt::confusion_json(cm);
  REQUIRE(j.is_array());
  REQUIRE(j.size() == 10);
  for (const auto& row : j) CHECK(row.size() == 10);
  CHECK(j[3][3] == 1);
  CHECK(j[3][5] == 2);
  CHECK(j[5][3] == 0);
  CHECK(j[7][1] == 1);
}

TEST_CASE("per-class scores: one object per class with its support") {
  dt::ConfusionMatrix cm;
  cm.add(2, 2);
  cm.add(2, 4);
  cm.add(4, 4);
  const nlohmann::json j = dt::per_class_json(cm);
  REQUIRE(j.size() == 10);
  CHECK(j[2]["class"] == 2);
  CHECK(j[2]["support"] == 2);
  CHECK(j[2]["precision"].get<double>() == doctest::Approx(1.0));
  CHECK(j[2]["recall"].get<double>() == doctest::Approx(0.5));
  CHECK(j[4]["precision"].get<double>() == doctest::Approx(0.5));
  CHECK(j[4]["f1"].get<double>() == doctest::Approx(2 * 0.5 * 1.0 / 1.5));
}
