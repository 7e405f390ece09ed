#include "cli/int8_models.h"

#include "cli/inputs.h"
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

Result<AnyModel> load_any_model_file(const std::string& path) {
  AnyModel m;
  if (is_int8_model_file(path)) {
    auto q = load_int8_model_file(path);
    if (!q) return Error{q.error()};
    m.int8 = std::move(*q);
  } else {
    auto f = load_model_file(path);
    if (!f) return Error{f.error()};
    m.float_model = std::move(*f);
  }
  return m;
}

}  // namespace dt::cli
