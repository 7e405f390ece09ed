// Models as .safetensors (the Hugging Face format that PyTorch, JAX and others read):
//   8 bytes little-endian header length N, N bytes of JSON header, then the raw tensors.
// The header maps each tensor name ("layers.0.weight") to {dtype: "F32", shape, data_offsets};
// its "__metadata__" holds the architecture as JSON text under "architecture", so a file
// alone is enough to rebuild the model.
#pragma once
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "nn/model.h"
#include "util/result.h"

namespace dt {

// Extra metadata (string to string) is stored beside the architecture.
std::vector<uint8_t> save_safetensors(const Model& model, const std::map<std::string, std::string>& metadata = {});

// Rebuilds the model the file describes and fills its parameters. `what` names the file in
// messages. Rejects anything malformed, and tensors that disagree with the architecture.
Result<Model> load_safetensors(const uint8_t* bytes, size_t size, const std::string& what);

// Reads the metadata only (for showing what a file holds).
Result<std::map<std::string, std::string>> safetensors_metadata(const uint8_t* bytes, size_t size,
                                                                const std::string& what);

}  // namespace dt
