// The files the commands read, found from their flags.
#pragma once
#include <string>
#include <vector>

#include "cli/args.h"
#include "data/mnist_files.h"
#include "nn/model.h"

namespace dt::cli {

// The training and test sets of --data DIR, else of --dataset mnist|fashion as setup installed it.
Result<TrainTest> load_data(const Args& a);

// A model saved by `train --save` (the value of --model).
Result<Model> load_model_file(const std::string& path);

// A binary PGM (P5) of 28x28 8-bit pixels, white digit on black as in MNIST, as floats in [0,1].
Result<std::vector<float>> read_pgm(const std::string& path);

// The one digit a command works on: a 28x28 --pgm FILE, or test image --index N of the dataset
// (then `label` is its class; -1 for a PGM).
struct DigitInput {
  std::vector<float> pixels;
  int label = -1;
};
// Reads the digit of --pgm or --index (exactly one of them must be given) for `model`, which
// must take 28x28 single-channel images. On a problem, says what was wrong on stderr and
// returns the exit code (2 for a bad command line, 1 for a bad file); 0 when `out` is filled.
int read_digit_input(const Args& a, const Model& model, const std::string& command, DigitInput& out);

}  // namespace dt::cli
