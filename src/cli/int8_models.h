// int8 models (quant/) in the CLI: telling them apart from float ones, and their test-set
// evaluation, for `quantize`, `eval` and `predict`.
#pragma once
#include <string>

#include "data/dataset.h"
#include "quant/quantized_model.h"
#include "train/evaluate.h"

namespace dt::cli {

// Whether the file at `path` is an int8 model (false when it cannot be read: the float
// loader then says why).
bool is_int8_model_file(const std::string& path);

// The int8 model of `quantize --out` at `path`.
Result<QuantizedModel> load_int8_model_file(const std::string& path);

// As Evaluator::run for a float model, on one thread: loss, confusion, predictions and
// probabilities of every image of `data`.
EvalResult evaluate_int8(const QuantizedModel& q, const Dataset& data);

}  // namespace dt::cli
