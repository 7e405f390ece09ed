// int8 models (quant/) in the CLI: telling them apart from float ones, and their test-set
// loading, for `quantize`, `eval` and `predict` (their evaluation: train/int8_evaluation.h).
#pragma once
#include <optional>
#include <string>

#include "quant/quantized_model.h"
#include "train/int8_evaluation.h"

namespace dt::cli {

// Whether the file at `path` is an int8 model (false when it cannot be read: the float
// loader then says why).
bool is_int8_model_file(const std::string& path);

// The int8 model of `quantize --out` at `path`.
Result<QuantizedModel> load_int8_model_file(const std::string& path);

// A model file as `eval` and `predict` take it: a float model, or an int8 one made by
// `quantize`. Exactly one of the two is set.
struct AnyModel {
  std::optional<Model> float_model;
  std::optional<QuantizedModel> int8;
  const Model& runtime() const { return int8 ? int8->model : *float_model; }  // shapes and classes
};
Result<AnyModel> load_any_model_file(const std::string& path);

}  // namespace dt::cli
