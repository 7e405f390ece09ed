// Models as .safetensors (the Hugging Face format that PyTorch, JAX and others read):
//   8 bytes little-endian header length N, N bytes of JSON header, then the raw tensors.
// The header maps each tensor name ("layers.0.weight") to {dtype: "F32", shape, data_offsets};
// its "__metadata__" holds the architecture as JSON text under "architecture", so a file
// alone is enough to rebuild the model.
#pragma once
#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "nn/model.h"
#include "util/result.h"

namespace dt {

// A tensor stored beside the model's: a run's training state in a checkpoint
// (train/run_checkpoint.cpp). Its name must satisfy is_training_state_tensor().
struct ExtraTensor {
  std::string name;
  std::vector<int> shape;
  const float* data = nullptr;
  long size = 0;
};

// Names under "optimizer." and "best." hold a checkpoint's training state. The model loader
// skips them (after checking that their bytes lie in the file), so a checkpoint is also a model
// file for eval and predict; any other unknown tensor is an error.
bool is_training_state_tensor(const std::string& name);

// Extra metadata (string to string) is stored beside the architecture; extra tensors after
// the model's.
std::vector<uint8_t> save_safetensors(const Model& model, const std::map<std::string, std::string>& metadata = {},
                                      const std::vector<ExtraTensor>& extra = {});

// Rebuilds the model the file describes and fills its parameters. `what` names the file in
// messages. Rejects anything malformed, and tensors that disagree with the architecture.
Result<Model> load_safetensors(const uint8_t* bytes, size_t size, const std::string& what);

// The training-state tensors (is_training_state_tensor) of a file, by name, as floats; only
// their entries are checked (F32, offsets inside the data), not the rest of the file.
Result<std::map<std::string, std::vector<float>>> load_training_state_tensors(const uint8_t* bytes, size_t size,
                                                                              const std::string& what);

// As the format requires, the tensors' byte ranges [begin, end) tile the data section: no
// overlaps (two tensors read from the same bytes), no gaps and nothing after the last (room for
// a second file inside). `what` names the file in the message.
Status check_tensors_tile(std::vector<std::pair<uint64_t, uint64_t>> ranges, uint64_t data_size, const std::string& what);

// Reads the metadata only (for showing what a file holds).
Result<std::map<std::string, std::string>> safetensors_metadata(const uint8_t* bytes, size_t size,
                                                                const std::string& what);

}  // namespace dt
