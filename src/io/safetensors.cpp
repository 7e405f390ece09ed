#include "io/safetensors.h"

#include <cmath>

#include <algorithm>
#include <cstring>
#include <nlohmann/json.hpp>

#include "util/digit_shape.h"

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

std::string shape_text(const std::vector<int>& shape) { return nlohmann::json(shape).dump(); }

// A file is untrusted input: before Model::build allocates what the architecture asks for,
// walk its layers (building a layer allocates nothing) and check that every activation is of
// a plausible size and that the file's data section can hold all of the parameters. Without
// this, one edited number ("units": 1073741824) makes the loader throw std::bad_alloc, which
// ends the process. Layers that do not build are left for Model::build to report.
Status check_plausible_size(const ModelSpec& spec, size_t data_size, const std::string& what) {
  constexpr uint64_t kMaxValues = uint64_t(1) << 24;  // per sample and layer: 64 MB of floats
  const uint64_t max_params = data_size / sizeof(float);
  auto values = [](Shape3 s) -> uint64_t {  // 0 for a shape with a dimension below 1
    if (s.h < 1 || s.w < 1 || s.c < 1) return 0;
    return uint64_t(s.h) * uint64_t(s.w) * uint64_t(s.c);
  };
  Shape3 shape{spec.height, spec.width, spec.channels};
  if (values(shape) > kMaxValues)
    return fail(what + ": the architecture's input " + std::to_string(shape.h) + "x" + std::to_string(shape.w) + "x" +
                std::to_string(shape.c) + " is implausibly large; the file is corrupt");
  uint64_t params = 0;
  for (size_t i = 0; i < spec.layers.size() && values(shape) > 0; ++i) {
    auto layer = spec.layers[i].build(shape);
    if (!layer) break;
    for (const ParamInfo& p : (*layer)->params()) {
      uint64_t n = 1;
      for (int d : p.shape) n = d < 0 ? 0 : (n > max_params / std::max(d, 1) ? max_params + 1 : n * uint64_t(d));
      params += n;
      if (params > max_params)
        return fail(what + ": its architecture needs more parameters than the file's " + std::to_string(data_size) +
                    " bytes of tensor data hold (at layer " + std::to_string(i) + ", " + describe(spec.layers[i]) +
                    "); the file is truncated or corrupt");
    }
    shape = (*layer)->out_shape();
    if (values(shape) > kMaxValues)
      return fail(what + ": layer " + std::to_string(i) + " (" + describe(spec.layers[i]) +
                  ") of its architecture has implausibly large outputs; the file is corrupt");
  }
  return Status::success();
}
// Where a training-state tensor's F32 bytes lie in the data section, checked.
Result<std::pair<uint64_t, uint64_t>> state_tensor_range(const std::string& name, const nlohmann::json& e,
                                                         size_t data_size, const std::string& what) {
  if (!e.is_object() || !e.contains("dtype") || !e.contains("shape") || !e.contains("data_offsets"))
    return Error{what + ": tensor " + name + " has an incomplete entry"};
  if (e["dtype"] != "F32") return Error{what + ": tensor " + name + " has dtype " + e["dtype"].dump() + ", not F32"};
  const auto& offs = e["data_offsets"];
  if (!offs.is_array() || offs.size() != 2 || !offs[0].is_number_unsigned() || !offs[1].is_number_unsigned())
    return Error{what + ": tensor " + name + " has malformed data_offsets"};
  const uint64_t b = offs[0].get<uint64_t>(), end = offs[1].get<uint64_t>();
  if (b > end || end > data_size || (end - b) % sizeof(float) != 0)
    return Error{what + ": tensor " + name + " data_offsets [" + std::to_string(b) + ", " + std::to_string(end) +
                 "] do not fit the data (" + std::to_string(data_size) + " bytes); the file is truncated or corrupt"};
  return std::make_pair(b, end);
}
}  // namespace

bool is_training_state_tensor(const std::string& name) {
  return name.rfind("optimizer.", 0) == 0 || name.rfind("best.", 0) == 0;
}

std::vector<uint8_t> save_safetensors(const Model& model, const std::map<std::string, std::string>& metadata,
                                      const std::vector<ExtraTensor>& extra) {
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
  for (const ExtraTensor& t : extra) {
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
  for (const ExtraTensor& t : extra) {
    if (t.size > 0) std::memcpy(data, t.data, sizeof(float) * t.size);
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

Result<std::map<std::string, std::vector<float>>> load_training_state_tensors(const uint8_t* bytes, size_t size,
                                                                              const std::string& what) {
  auto h = read_header(bytes, size, what);
  if (!h) return Error{h.error()};
  std::map<std::string, std::vector<float>> out;
  for (const auto& [name, e] : h->json.items()) {
    if (!is_training_state_tensor(name)) continue;
    auto range = state_tensor_range(name, e, size - h->data_start, what);
    if (!range) return Error{range.error()};
    std::vector<float>& v = out[name];
    v.resize((range->second - range->first) / sizeof(float));
    if (!v.empty()) std::memcpy(v.data(), bytes + h->data_start + range->first, range->second - range->first);
  }
  return out;
}

Result<Model> load_safetensors(const uint8_t* bytes, size_t size, const std::string& what) {
  auto h = read_header(bytes, size, what);
  if (!h) return Error{h.error()};
  const nlohmann::json& j = h->json;
  const auto meta = j.find("__metadata__");
  if (meta != j.end() && meta->is_object() && meta->contains("quantization"))
    return Error{what + " is an int8 model (made by `digitrain quantize`); eval and predict read it, anything else needs "
                        "the float model it was made from"};
  if (meta == j.end() || !meta->is_object() || !meta->contains("architecture") || !(*meta)["architecture"].is_string())
    return Error{what + ": no architecture in __metadata__; it was not written by digitrain"};
  auto spec = model_spec_from_json((*meta)["architecture"].get<std::string>());
  if (!spec) return Error{what + ": " + spec.error()};
  const size_t data_size = size - h->data_start;
  if (Status s = check_plausible_size(*spec, data_size, what); !s) return Error{s.error};
  auto model = Model::build(*spec);
  if (!model) return Error{what + ": architecture does not build: " + model.error()};
  // Evaluation, metrics and the trainer all index 10 class scores per image; a model with
  // another number of outputs would make them read and write out of bounds.
  if (model->classes() != kClasses)
    return Error{what + ": the model outputs " + std::to_string(model->classes()) + " values per image, not the " +
                 std::to_string(kClasses) + " digit classes digitrain models have"};
  size_t expected_tensors = 0;
  std::vector<std::pair<uint64_t, uint64_t>> ranges;  // [begin, end) of each tensor's bytes
  for (const TensorInfo& t : model->tensors()) {
    ++expected_tensors;
    const auto e = j.find(t.name);
    if (e == j.end()) return Error{what + ": tensor " + t.name + " is missing"};
    if (!e->is_object() || !e->contains("dtype") || !e->contains("shape") || !e->contains("data_offsets"))
      return Error{what + ": tensor " + t.name + " has an incomplete entry"};
    if ((*e)["dtype"] != "F32")
      return Error{what + ": tensor " + t.name + " has dtype " + (*e)["dtype"].dump() +
                   "; digitrain models store F32 (32-bit floats) only"};
    const auto& shape = (*e)["shape"];
    const auto& offs = (*e)["data_offsets"];
    bool shape_ok = shape.is_array() && shape.size() == t.shape.size();
    for (size_t d = 0; shape_ok && d < t.shape.size(); ++d)
      shape_ok = shape[d].is_number_integer() && shape[d].get<long long>() == t.shape[d];
    if (!shape_ok)
      return Error{what + ": tensor " + t.name + " has shape " + shape.dump() + " but the architecture needs " +
                   shape_text(t.shape) + "; the tensors and the architecture do not belong together"};
    if (!offs.is_array() || offs.size() != 2 || !offs[0].is_number_unsigned() || !offs[1].is_number_unsigned())
      return Error{what + ": tensor " + t.name + " has malformed data_offsets"};
    const uint64_t b = offs[0].get<uint64_t>(), end = offs[1].get<uint64_t>();
    if (b > end || end > data_size || end - b != sizeof(float) * static_cast<uint64_t>(t.size))
      return Error{what + ": tensor " + t.name + " data_offsets [" + std::to_string(b) + ", " + std::to_string(end) +
                   "] do not fit the data (" + std::to_string(data_size) + " bytes); the file is truncated or corrupt"};
    std::memcpy(model->params() + t.offset, bytes + h->data_start + b, end - b);
    // A model that diverged would answer nonsense (or NaN) everywhere: refuse it here.
    const float* v = model->params() + t.offset;
    for (long i = 0; i < t.size; ++i)
      if (!std::isfinite(v[i]))
        return Error{what + ": tensor " + t.name + " holds " + (std::isnan(v[i]) ? "NaN" : "infinite") +
                     " values (element " + std::to_string(i) +
                     "); the model diverged when it was trained, so retrain it with a smaller learning rate"};
    ranges.emplace_back(b, end);
  }
  for (const auto& [name, e] : j.items()) {
    if (!is_training_state_tensor(name)) continue;
    auto range = state_tensor_range(name, e, data_size, what);
    if (!range) return Error{range.error()};
    ranges.push_back(*range);
    ++expected_tensors;
  }
  if (j.size() - 1 != expected_tensors) {
    // Name one tensor too many: every one the architecture knows was found above.
    std::string extra;
    for (const auto& [name, value] : j.items()) {
      bool known = name == "__metadata__" || is_training_state_tensor(name);
      for (const TensorInfo& t : model->tensors()) known = known || t.name == name;
      if (!known) {
        extra = name;
        break;
      }
    }
    return Error{what + ": the file has " + std::to_string(j.size() - 1) + " tensors but its architecture has " +
                 std::to_string(expected_tensors) + "; the architecture has no such tensor as " + extra};
  }
  if (Status s = check_tensors_tile(std::move(ranges), data_size, what); !s) return Error{s.error};
  return std::move(*model);
}

Status check_tensors_tile(std::vector<std::pair<uint64_t, uint64_t>> ranges, uint64_t data_size, const std::string& what) {
  std::sort(ranges.begin(), ranges.end());
  uint64_t at = 0;
  for (const auto& [b, end] : ranges) {
    if (b != at) break;
    at = end;
  }
  if (at != data_size)
    return fail(what + ": the tensors' data_offsets leave a gap or overlap at byte " + std::to_string(at) + " of " +
                std::to_string(data_size) + "; the file is corrupt");
  return Status::success();
}

}  // namespace dt
