#include "cli/int8_models.h"

#include "io/safetensors.h"
#include "quant/quantized_file.h"
#include "util/file.h"

namespace dt::cli {

Result<AnyModel> load_any_model_file(const std::string& path) {
  if (path.empty()) return Error{"--model FILE is required"};
  auto bytes = read_file(path);  // once: the header says which kind it is
  if (!bytes) return Error{bytes.error()};
  AnyModel m;
  if (is_quantized_file(bytes->data(), bytes->size())) {
    auto q = load_quantized(bytes->data(), bytes->size(), path);
    if (!q) return Error{q.error()};
    m.int8 = std::move(*q);
  } else {
    auto f = load_safetensors(bytes->data(), bytes->size(), path);
    if (!f) return Error{f.error()};
    m.float_model = std::move(*f);
  }
  return m;
}

}  // namespace dt::cli
