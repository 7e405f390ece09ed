// int8 models (quant/) in the CLI: a model file read as float or int8, for `quantize`, `eval`
// and `predict` (the int8 model's evaluation: train/int8_evaluation.h).
#pragma once
#include <optional>
#include <string>

#include "quant/quantized_model.h"
#include "train/int8_evaluation.h"

namespace dt::cli {

// A model file as `eval`, `predict` and `quantize` take it: a float model, or an int8 one made
// by `quantize`, told apart by its header (read once). Exactly one of the two is set.
struct AnyModel {
  std::optional<Model> float_model;
  std::optional<QuantizedModel> int8;
  const Model& runtime() const { return int8 ? int8->model : *float_model; }  // shapes and classes
};
Result<AnyModel> load_any_model_file(const std::string& path);

}  // namespace dt::cli
