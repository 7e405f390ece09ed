// Loading the four MNIST-style idx files of a folder from disk (native builds only; in the
// browser the bytes arrive over fetch). Files may be plain or gzip-compressed (.gz), as
// Debian's Fashion-MNIST is.
#pragma once
#include <string>

#include "data/dataset.h"

namespace dt {

struct TrainTest {
  Dataset train, test;
};

Result<TrainTest> load_mnist_dir(const std::string& dir);

}  // namespace dt
