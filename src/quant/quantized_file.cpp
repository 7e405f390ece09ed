#include "quant/quantized_file.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <nlohmann/json.hpp>

#include "io/safetensors.h"
#include "util/digit_shape.h"

namespace dt {

namespace {

using nlohmann::json;

// One tensor of the file, in the order written.
struct Entry {
  std::string name;
  bool i8 = false;
  std::vector<int> shape;
  const void* data = nullptr;  // save: the source
  long count = 0;
  size_t bytes() const { return static_cast<size_t>(count) * (i8 ? 1 : 4); }
};

std::string layer_prefix(int i) { return "layers." + std::to_string(i) + "."; }

// Every tensor the file of `q` holds, F32 ones first; data pointers into q.
std::vector<Entry> entries(const QuantizedModel& q) {
  std::vector<Entry> f32, i8;
  for (int r = 0; r < q.model.num_layers(); ++r) {
    const std::string pre = layer_prefix(q.original[r]);
    const int l = q.qindex[r];
    if (l >= 0) {
      const QuantLayer& ql = q.qlayers[l];
      const TensorInfo* w = nullptr;
      for (const TensorInfo& t : q.model.tensors())
        if (t.name == "layers." + std::to_string(r) + ".weight") w = &t;
      f32.push_back({pre + "weight_scale", false, {ql.N}, ql.weight_scale.data(), ql.N});
      f32.push_back({pre + "bias", false, {ql.N}, ql.bias.data(), ql.N});
      f32.push_back({pre + "input_scale", false, {1}, &ql.input_scale, 1});
      i8.push_back({pre + "weight", true, w->shape, ql.weight.data(), static_cast<long>(ql.K) * ql.N});
      continue;
    }
    const std::string run_pre = "layers." + std::to_string(r) + ".";
    for (const TensorInfo& t : q.model.tensors())
      if (t.name.rfind(run_pre, 0) == 0)
        f32.push_back({pre + t.name.substr(run_pre.size()), false, t.shape, q.model.params() + t.offset, t.size});
  }
  f32.insert(f32.end(), i8.begin(), i8.end());
  return f32;
}

json layers_json(const QuantizedModel& q) {
  json a = json::array();
  for (const QuantLayer& ql : q.qlayers) {
    const int f = q.folded[ql.layer];
    a.push_back({{"layer", q.original[ql.layer]},
                 {"input", ql.input_unsigned ? "uint8" : "int8"},
                 {"batchnorm", f >= 0 ? json(f) : json(nullptr)}});
  }
  return a;
}

Result<json> read_header(const uint8_t* bytes, size_t size, const std::string& what, size_t& data_start) {
  const std::string hint = "; it is not a digitrain .safetensors model (or it is damaged)";
  if (size < 8) return Error{what + ": too short (" + std::to_string(size) + " bytes)" + hint};
  uint64_t n = 0;
  for (int i = 7; i >= 0; --i) n = (n << 8) | bytes[i];
  if (n < 2 || n > (100u << 20) || n > size - 8)
    return Error{what + ": header length " + std::to_string(n) + " does not fit the file of " + std::to_string(size) +
                 " bytes" + hint};
  json j = json::parse(bytes + 8, bytes + 8 + n, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_object()) return Error{what + ": header is not a JSON object" + hint};
  data_start = 8 + static_cast<size_t>(n);
  return j;
}

std::string meta_string(const json& j, const char* key) {
  const auto m = j.find("__metadata__");
  if (m == j.end() || !m->is_object()) return "";
  const auto v = m->find(key);
  return v != m->end() && v->is_string() ? v->get<std::string>() : "";
}

}  // namespace

std::vector<uint8_t> save_quantized(const QuantizedModel& q) {
  json header = json::object();
  header["__metadata__"] = {{"format", "digitrain"},
                            {"architecture", to_json(q.spec)},
                            {"quantization", "int8"},
                            {"quantized_layers", layers_json(q).dump()}};
  const std::vector<Entry> all = entries(q);
  size_t offset = 0;
  for (const Entry& e : all) {
    header[e.name] = {{"dtype", e.i8 ? "I8" : "F32"}, {"shape", e.shape}, {"data_offsets", {offset, offset + e.bytes()}}};
    offset += e.bytes();
  }
  std::string text = header.dump();
  while ((8 + text.size()) % 8) text.push_back(' ');
  std::vector<uint8_t> out(8 + text.size() + offset);
  const uint64_t n = text.size();
  for (int i = 0; i < 8; ++i) out[i] = static_cast<uint8_t>(n >> (8 * i));
  std::memcpy(out.data() + 8, text.data(), text.size());
  uint8_t* data = out.data() + 8 + text.size();
  for (const Entry& e : all) {
    if (e.bytes()) std::memcpy(data, e.data, e.bytes());
    data += e.bytes();
  }
  return out;
}

bool is_quantized_file(const uint8_t* bytes, size_t size) {
  size_t start = 0;
  auto j = read_header(bytes, size, "", start);
  return j && meta_string(*j, "quantization") == "int8";
}

Result<QuantizedModel> load_quantized(const uint8_t* bytes, size_t size, const std::string& what) {
  size_t data_start = 0;
  auto header = read_header(bytes, size, what, data_start);
  if (!header) return Error{header.error()};
  const json& j = *header;
  const size_t data_size = size - data_start;
  const std::string quantization = meta_string(j, "quantization");
  if (quantization.empty())
    return Error{what + ": not an int8 model (its metadata has no \"quantization\"); make one from a float model with `digitrain quantize`"};
  if (quantization != "int8")
    return Error{what + ": quantization \"" + quantization + "\" is not one digitrain reads (only int8)"};
  const std::string arch = meta_string(j, "architecture");
  if (arch.empty()) return Error{what + ": no architecture in __metadata__; it was not written by digitrain"};
  auto spec = model_spec_from_json(arch);
  if (!spec) return Error{what + ": " + spec.error()};
  // Before anything is allocated: every parameter takes at least one byte of the file.
  if (auto count = count_parameters(*spec, data_size); !count)
    return Error{what + ": its architecture does not fit the file (" + count.error() + "); the file is truncated or corrupt"};

  // The int8 layers and the batch norms folded into them.
  const json layers = json::parse(meta_string(j, "quantized_layers"), nullptr, /*allow_exceptions=*/false);
  if (layers.is_discarded() || !layers.is_array())
    return Error{what + ": its \"quantized_layers\" metadata is missing or not a JSON array; the file is corrupt"};
  const int L = static_cast<int>(spec->layers.size());
  std::vector<int> fold, listed;
  std::vector<bool> unsigned_input;
  for (const json& e : layers) {
    if (!e.is_object() || !e.contains("layer") || !e["layer"].is_number_integer() || !e.contains("input") ||
        !(e["input"] == "uint8" || e["input"] == "int8") || !e.contains("batchnorm") ||
        !(e["batchnorm"].is_null() || e["batchnorm"].is_number_integer()))
      return Error{what + ": a \"quantized_layers\" entry is malformed (" + e.dump().substr(0, 80) + "); the file is corrupt"};
    const long long i = e["layer"].get<long long>();
    if (i < 0 || i >= L) return Error{what + ": \"quantized_layers\" names layer " + std::to_string(i) + ", which the architecture does not have"};
    listed.push_back(static_cast<int>(i));
    unsigned_input.push_back(e["input"] == "uint8");
    if (!e["batchnorm"].is_null()) {
      const long long b = e["batchnorm"].get<long long>();
      if (b != i + 1) return Error{what + ": layer " + std::to_string(i) + " has a batch norm folded in from layer " + std::to_string(b) + ", not the one right after it; the file is corrupt"};
      fold.push_back(static_cast<int>(b));
    }
  }
  auto layout = quantized_layout(*spec, fold);
  if (!layout) return Error{what + ": " + layout.error()};
  QuantizedModel q = std::move(*layout);
  if (q.model.classes() != kClasses)
    return Error{what + ": the model outputs " + std::to_string(q.model.classes()) + " values per image, not the " +
                 std::to_string(kClasses) + " digit classes digitrain models have"};
  if (listed.size() != q.qlayers.size())
    return Error{what + ": \"quantized_layers\" lists " + std::to_string(listed.size()) + " layers but the architecture has " +
                 std::to_string(q.qlayers.size()) + " conv2d and dense layers; the file is corrupt"};
  for (size_t l = 0; l < q.qlayers.size(); ++l) {
    if (q.original[q.qlayers[l].layer] != listed[l])
      return Error{what + ": \"quantized_layers\" entry " + std::to_string(l) + " names layer " + std::to_string(listed[l]) +
                   ", but that is not the architecture's conv2d or dense layer number " + std::to_string(l) + "; the file is corrupt"};
    q.qlayers[l].input_unsigned = unsigned_input[l];
    q.qlayers[l].weight.resize(static_cast<size_t>(q.qlayers[l].K) * q.qlayers[l].N);
    q.qlayers[l].weight_scale.resize(q.qlayers[l].N);
    q.qlayers[l].bias.resize(q.qlayers[l].N);
  }

  // The tensors: each where the layout expects it, of its dtype and shape, inside the data.
  std::vector<Entry> want = entries(q);  // data: where each one goes
  std::vector<std::pair<uint64_t, uint64_t>> ranges;
  for (const Entry& e : want) {
    const auto t = j.find(e.name);
    if (t == j.end()) return Error{what + ": tensor " + e.name + " is missing; the file is truncated or corrupt"};
    if (!t->is_object() || !t->contains("dtype") || !t->contains("shape") || !t->contains("data_offsets"))
      return Error{what + ": tensor " + e.name + " has an incomplete entry"};
    const char* dtype = e.i8 ? "I8" : "F32";
    if ((*t)["dtype"] != dtype)
      return Error{what + ": tensor " + e.name + " has dtype " + (*t)["dtype"].dump() + ", not " + dtype + "; the file is corrupt"};
    if ((*t)["shape"] != json(e.shape))
      return Error{what + ": tensor " + e.name + " has shape " + (*t)["shape"].dump() + " but the architecture needs " +
                   json(e.shape).dump() + "; the tensors and the architecture do not belong together"};
    const json& offs = (*t)["data_offsets"];
    if (!offs.is_array() || offs.size() != 2 || !offs[0].is_number_unsigned() || !offs[1].is_number_unsigned())
      return Error{what + ": tensor " + e.name + " has malformed data_offsets"};
    const uint64_t b = offs[0].get<uint64_t>(), end = offs[1].get<uint64_t>();
    if (b > end || end > data_size || end - b != e.bytes())
      return Error{what + ": tensor " + e.name + " data_offsets [" + std::to_string(b) + ", " + std::to_string(end) +
                   "] do not fit the data (" + std::to_string(data_size) + " bytes); the file is truncated or corrupt"};
    std::memcpy(const_cast<void*>(e.data), bytes + data_start + b, e.bytes());
    ranges.emplace_back(b, end);
  }
  if (j.size() - 1 != want.size())
    return Error{what + ": the file has " + std::to_string(j.size() - 1) + " tensors but its int8 model has " +
                 std::to_string(want.size()) + "; the file is corrupt"};
  if (Status s = check_tensors_tile(std::move(ranges), data_size, what); !s) return Error{s.error};

  // The values: finite floats, positive scales, weights in [-127, 127].
  for (const Entry& e : want) {
    if (e.i8) {
      const int8_t* v = static_cast<const int8_t*>(e.data);
      for (long i = 0; i < e.count; ++i)
        if (v[i] < -127) return Error{what + ": tensor " + e.name + " holds -128, outside the symmetric int8 range [-127, 127]; the file is corrupt"};
      continue;
    }
    const float* v = static_cast<const float*>(e.data);
    const bool scale = e.name.size() > 6 && e.name.compare(e.name.size() - 6, 6, "_scale") == 0;
    for (long i = 0; i < e.count; ++i)
      if (!std::isfinite(v[i]) || (scale && !(v[i] > 0.0f)))
        return Error{what + ": tensor " + e.name + " holds " + std::to_string(v[i]) + " (element " + std::to_string(i) + "), " +
                     (scale ? "not a positive finite scale" : "not a finite number") + "; the file is corrupt"};
  }
  for (QuantLayer& ql : q.qlayers) {
    ql.prepare();
    // The float model the int8 one stands for: dequantised weights, the bias as stored.
    float* w = q.model.params() + q.model.layer_param_offset(ql.layer);
    for (long i = 0; i < static_cast<long>(ql.K) * ql.N; ++i) w[i] = ql.weight[i] * ql.weight_scale[i % ql.N];
    std::copy(ql.bias.begin(), ql.bias.end(), w + static_cast<long>(ql.K) * ql.N);
  }
  return q;
}

}  // namespace dt
