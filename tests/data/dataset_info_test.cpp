// The datasets' names and class names (data/dataset_info.h).
#include <doctest/doctest.h>

#include <string>

#include "data/dataset_info.h"

TEST_CASE("Fashion-MNIST's classes have Zalando's names in label order; MNIST's are its digits") {
  const dt::DatasetInfo& fashion = dt::dataset_info("fashion");
  CHECK(std::string(fashion.title) == "Fashion-MNIST");
  CHECK(std::string(fashion.classes[0]) == "T-shirt/top");
  CHECK(std::string(fashion.classes[1]) == "Trouser");
  CHECK(std::string(fashion.classes[9]) == "Ankle boot");
  const dt::DatasetInfo& mnist = dt::dataset_info("mnist");
  for (int k = 0; k < 10; ++k) CHECK(std::string(mnist.classes[k]) == std::to_string(k));
}

TEST_CASE("an unknown dataset reads as MNIST, is not known, and the choices list every known name") {
  CHECK(std::string(dt::dataset_info("cifar").name) == "mnist");
  CHECK_FALSE(dt::is_known_dataset("cifar"));
  CHECK(dt::is_known_dataset("fashion"));
  CHECK(dt::dataset_choices() == "mnist or fashion");
}
