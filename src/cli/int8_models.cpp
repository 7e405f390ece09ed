#include "cli/int8_models.h"

#include "quant/quantized_file.h"
#include "util/file.h"

namespace dt::cli {

bool is_int8_model_file(const std::string& path) {
  auto bytes = read_file(path);
  return bytes && is_quantized_file(bytes->data(), bytes->size());
}

Result<QuantizedModel> load_int8_model_file(const std::string& path) {
  auto bytes = read_file(path);
  if (!bytes) return Error{bytes.error()};
  return load_quantized(bytes->data(), bytes->size(), path);
}

}  // namespace dt::cli
