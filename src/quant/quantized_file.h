// int8 models as .safetensors files: the format of io/safetensors.h (8 bytes little-endian
// header length, a JSON header, then the raw tensors), so generic tools still list them.
//
// __metadata__ (strings):
//   "format": "digitrain", "architecture": the float model's architecture JSON as trained
//   (batch norms included), "quantization": "int8", and "quantized_layers": a JSON array with
//   one entry per int8 layer, {"layer": i, "input": "uint8" | "int8", "batchnorm": j | null}
//   (i, j: indices in the architecture; j the batch norm folded into layer i).
// Tensors, named by the architecture's layer indices:
//   each int8 layer i:  layers.i.weight       I8  the float weight's shape ((KH,KW,C,OC) or (IN,OUT))
//                       layers.i.weight_scale F32 (OC)  per output channel
//                       layers.i.bias         F32 (OC)  batch norm folded in
//                       layers.i.input_scale  F32 (1)   x ~ input_scale * q
//   other layers with parameters (standardize, a batch norm that was not folded): their F32
//   tensors under the float file's names. Folded batch norms have none.
// F32 tensors come first, so that every float is 4-byte aligned in the file.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "quant/quantized_model.h"
#include "util/result.h"

namespace dt {

std::vector<uint8_t> save_quantized(const QuantizedModel& q);

// The int8 model a file holds; `what` names the file in messages. Refuses anything malformed
// or foreign (a float model, a truncated file, values out of range) with a message that says
// what was wrong and what to do.
Result<QuantizedModel> load_quantized(const uint8_t* bytes, size_t size, const std::string& what);

// Whether the bytes are a .safetensors file whose metadata says "quantization": "int8" (only
// the header is read; load_quantized checks the rest).
bool is_quantized_file(const uint8_t* bytes, size_t size);

}  // namespace dt
