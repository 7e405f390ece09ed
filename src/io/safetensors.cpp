#include "io/safetensors.h"

#include <cstring>
#include <nlohmann/json.hpp>

namespace dt {

namespace {
constexpr uint64_t kMaxHeader = 100u << 20;

struct Header {
  nlohmann::json json;
  size_t data_start = 0;
};

Result<Header> read_header(const uint8_t* bytes, size_t size, const std::string& what) {
  const std::string hint = "; it is not a digitrain .safetensors model (or it is damaged)";
  if (size < 8) return Error{what + ": too short (" + std::to_string(size) + " bytes)" + hint};
  uint64_t n = 0;
  for (int i = 7; i >= 0; --i) n = (n << 8) | bytes[i];
  if (n < 2 || n > kMaxHeader || n > size - 8)
    return Error{what + ": header length " + std::to_string(n) + " does not fit the file of " + std::to_string(size) +
                 " bytes" + hint};
  Header h;
  h.json = nlohmann::json::parse(bytes + 8, bytes + 8 + n, nullptr, /*allow_exceptions=*/false);
  if (h.json.is_discarded() || !h.json.is_object()) return Error{what + ": header is not a JSON object" + hint};
  h.data_start = 8 + static_cast<size_t>(n);
  return h;
}
}  // namespace

std::vector<uint8_t> save_safetensors(const Model& model, const std::map<std::string, std::string>& metadata) {
  nlohmann::json header = nlohmann::json::object();
  nlohmann::json meta = nlohmann::json::object();
  for (const auto& [k, v] : metadata) meta[k] = v;
  meta["architecture"] = to_json(model.spec());
  meta["format"] = "digitrain";
  header["__metadata__"] = meta;
  size_t offset = 0;
  for (const TensorInfo& t : model.tensors()) {
    const size_t bytes = sizeof(float) * static_cast<size_t>(t.size);
    header[t.name] = {{"dtype", "F32"}, {"shape", t.shape}, {"data_offsets", {offset, offset + bytes}}};
    offset += bytes;
  }
  std::string text = header.dump();
  while ((8 + text.size()) % 8) text.push_back(' ');  // align the data section (allowed by the format)
  std::vector<uint8_t> out(8 + text.size() + offset);
  uint64_t n = text.size();
  for (int i = 0; i < 8; ++i) out[i] = static_cast<uint8_t>(n >> (8 * i));
  std::memcpy(out.data() + 8, text.data(), text.size());
  uint8_t* data = out.data() + 8 + text.size();
  for (const TensorInfo& t : model.tensors()) {  // floats are little-endian on every target we build for
    std::memcpy(data, model.params() + t.offset, sizeof(float) * t.size);
    data += sizeof(float) * t.size;
  }
  return out;
}

Result<std::map<std::string, std::string>> safetensors_metadata(const uint8_t* bytes, size_t size,
                                                                const std::string& what) {
  auto h = read_header(bytes, size, what);
  if (!h) return Error{h.error()};
  std::map<std::string, std::string> meta;
  if (h->json.contains("__metadata__") && h->json["__metadata__"].is_object())
    for (const auto& [k, v] : h->json["__metadata__"].items())
      if (v.is_string()) meta[k] = v.get<std::string>();
  return meta;
}

Result<Model> load_safetensors(const uint8_t* bytes, size_t size, const std::string& what) {
  auto h = read_header(bytes, size, what);
  if (!h) return Error{h.error()};
  const nlohmann::json& j = h->json;
  const auto meta = j.find("__metadata__");
  if (meta == j.end() || !meta->is_object() || !meta->contains("architecture") || !(*meta)["architecture"].is_string())
    return Error{what + ": no architecture in __metadata__; it was not written by digitrain"};
  auto spec = model_spec_from_json((*meta)["architecture"].get<std::string>());
  if (!spec) return Error{what + ": " + spec.error()};
  auto model = Model::build(*spec);
  if (!model) return Error{what + ": architecture does not build: " + model.error()};
  const size_t data_size = size - h->data_start;
  size_t expected_tensors = 0;
  for (const TensorInfo& t : model->tensors()) {
    ++expected_tensors;
    const auto e = j.find(t.name);
    if (e == j.end()) return Error{what + ": tensor " + t.name + " is missing"};
    if (!e->is_object() || !e->contains("dtype") || !e->contains("shape") || !e->contains("data_offsets"))
      return Error{what + ": tensor " + t.name + " has an incomplete entry"};
    if ((*e)["dtype"] != "F32") return Error{what + ": tensor " + t.name + " is not F32"};
    const auto& shape = (*e)["shape"];
    const auto& offs = (*e)["data_offsets"];
    bool shape_ok = shape.is_array() && shape.size() == t.shape.size();
    for (size_t d = 0; shape_ok && d < t.shape.size(); ++d)
      shape_ok = shape[d].is_number_integer() && shape[d].get<long long>() == t.shape[d];
    if (!shape_ok) return Error{what + ": tensor " + t.name + " has shape " + shape.dump() + ", the architecture needs another"};
    if (!offs.is_array() || offs.size() != 2 || !offs[0].is_number_unsigned() || !offs[1].is_number_unsigned())
      return Error{what + ": tensor " + t.name + " has malformed data_offsets"};
    const uint64_t b = offs[0].get<uint64_t>(), end = offs[1].get<uint64_t>();
    if (b > end || end > data_size || end - b != sizeof(float) * static_cast<uint64_t>(t.size))
      return Error{what + ": tensor " + t.name + " data_offsets [" + std::to_string(b) + ", " + std::to_string(end) +
                   "] do not fit the data (" + std::to_string(data_size) + " bytes); the file is truncated or corrupt"};
    std::memcpy(model->params() + t.offset, bytes + h->data_start + b, end - b);
  }
  if (j.size() - 1 != expected_tensors)
    return Error{what + ": the file has " + std::to_string(j.size() - 1) + " tensors but its architecture has " +
                 std::to_string(expected_tensors)};
  return std::move(*model);
}

}  // namespace dt
