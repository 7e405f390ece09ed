// The files the commands read, found from their flags.
#pragma once
#include <string>

#include "cli/args.h"
#include "data/mnist_files.h"
#include "nn/model.h"

namespace dt::cli {

// The training and test sets of --data DIR, else of --dataset mnist|fashion as setup installed it.
Result<TrainTest> load_data(const Args& a);

// A model saved by `train --save` (the value of --model).
Result<Model> load_model_file(const std::string& path);

}  // namespace dt::cli
