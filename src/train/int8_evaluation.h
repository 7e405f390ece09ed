// int8 models (quant/) against a dataset, for the CLI's `quantize` and `eval` and the page's
// Quantise button: calibrated on the dataset's own training images, tested as a float model
// is (train/evaluate.h).
#pragma once
#include <cstdint>

#include "data/dataset.h"
#include "quant/quantize.h"
#include "train/evaluate.h"
#include "util/result.h"

namespace dt {

// The int8 model of `model` and its file, calibrated on `calibration` training images chosen
// by `seed` (quant/quantize.h's calibration_indices), seen as evaluation sees them (no
// augmentation). The message says what is wrong (images of another size than the model's).
Result<QuantizeResult> quantize_on(const Model& model, const Dataset& train, int calibration, uint64_t seed);

// As Evaluator::run for a float model, on one thread: loss, confusion, predictions and
// probabilities of every image of `data`.
EvalResult evaluate_int8(const QuantizedModel& q, const Dataset& data);

}  // namespace dt
