#include "nn/spec.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "nn/layer_registry.h"

namespace dt {

std::string LayerSpec::describe() const {
  const std::string suffix = impl_->suffix();
  return std::string(kind()) + (suffix.empty() ? "" : " " + suffix);
}

std::string describe(const LayerSpec& layer) { return layer.describe(); }

std::string number_text(float value) {
  std::ostringstream s;
  s << value;
  return s.str();
}

std::string describe(const ModelSpec& spec) {
  std::string out;
  for (size_t i = 0; i < spec.layers.size(); ++i) out += (i ? ", " : "") + describe(spec.layers[i]);
  return out;
}

std::string shape_text(const Shape3& s) {
  return std::to_string(s.h) + "x" + std::to_string(s.w) + "x" + std::to_string(s.c);
}

Result<uint64_t> count_parameters(const ModelSpec& spec, uint64_t limit) {
  constexpr uint64_t kMaxValues = uint64_t(1) << 24;  // per image and layer: 64 MB of floats
  Shape3 shape{spec.height, spec.width, spec.channels};
  if (uint64_t(shape.h) * uint64_t(shape.w) * uint64_t(shape.c) > kMaxValues)
    return Error{"the input " + shape_text(shape) +
                 " is too large"};
  uint64_t params = 0;
  for (size_t i = 0; i < spec.layers.size(); ++i) {
    const std::string where = "layer " + std::to_string(i) + " (" + describe(spec.layers[i]) + ")";
    auto layer = spec.layers[i].build(shape);
    if (!layer) return Error{where + ": " + layer.error()};
    for (const ParamInfo& p : (*layer)->params()) {
      uint64_t n = 1;
      for (int d : p.shape) n = n > (limit + 1) / uint64_t(std::max(d, 1)) ? limit + 1 : n * uint64_t(std::max(d, 0));
      params += n;
      if (params > limit)
        return Error{where + " takes the model past " + std::to_string(limit) + " parameters, more than fit in memory here"};
    }
    shape = (*layer)->out_shape();
    if (uint64_t(shape.h) * uint64_t(shape.w) * uint64_t(shape.c) > kMaxValues)
      return Error{where + " gives " + shape_text(shape) +
                   " values per image, more than fit in memory here"};
  }
  return params;
}

namespace {

using nlohmann::json;

// A field that is wrong in a way the JSON library would not notice (it reads 3.5 as 3, casts
// 1e300 to int with undefined behaviour, and names no field in its type errors).
struct BadField {
  std::string message;
};

int whole_value(const json& v, const std::string& name) {
  constexpr long long kMax = FieldVisitor::kMaxWhole;
  const bool whole = v.is_number_integer() &&
                     (v.is_number_unsigned() ? v.get<unsigned long long>() <= kMax : v.get<long long>() <= kMax);
  if (!whole || v.get<long long>() < 1)
    throw BadField{"architecture field '" + name + "' must be a whole number from 1 to " + std::to_string(kMax) +
                   ", not " + v.dump()};
  return static_cast<int>(v.get<long long>());
}

std::string string_field(const json& o, const char* key) {
  if (!o.contains(key)) throw BadField{"architecture layer " + o.dump() + " needs the field '" + key + "'"};
  if (!o[key].is_string()) throw BadField{"architecture field '" + std::string(key) + "' must be a string, not " + o[key].dump()};
  return o[key].get<std::string>();
}

// Fills a layer's fields from its JSON object, and remembers which keys it knew.
class JsonReader final : public FieldVisitor {
 public:
  JsonReader(const json& o, const char* kind) : o_(o), kind_(kind) {}
  void whole(const char* key, int& value, std::optional<int> fallback) override {
    if (const json* v = find(key, fallback.has_value())) value = whole_value(*v, key);
    else value = *fallback;
  }
  void number(const char* key, float& value, std::optional<float> fallback) override {
    const json* v = find(key, fallback.has_value());
    if (!v) {
      value = *fallback;
      return;
    }
    if (!v->is_number()) throw BadField{"architecture field '" + std::string(key) + "' must be a number, not " + v->dump()};
    // Held as a 32-bit float: a larger number would become infinity, which JSON cannot write
    // back, so the model could be read once but never saved and read again.
    const double d = v->get<double>();
    if (!(std::fabs(d) <= std::numeric_limits<float>::max()))
      throw BadField{"architecture field '" + std::string(key) + "' is " + v->dump() +
                     ", too large for a 32-bit float (at most 3.4e38)"};
    value = static_cast<float>(d);
  }
  void choice(const char* key, bool& value, const char* if_true, const char* if_false, bool fallback) override {
    const json* v = find(key, true);
    if (!v) {
      value = fallback;
      return;
    }
    if (!v->is_string()) throw BadField{"architecture field '" + std::string(key) + "' must be a string, not " + v->dump()};
    const std::string s = v->get<std::string>();
    if (s != if_true && s != if_false)
      throw BadField{std::string(kind_) + " " + key + " must be '" + if_true + "' or '" + if_false + "', not '" + s + "'"};
    value = s == if_true;
  }
  // Keys the kind does not have are a mistake (a typo would otherwise silently train defaults).
  void check_unknown_keys() const {
    for (const auto& item : o_.items())
      if (item.key() != "type" && !known_.count(item.key())) {
        std::string accepted;
        for (const std::string& k : known_) accepted += (accepted.empty() ? "" : ", ") + k;
        throw BadField{"architecture layer " + std::string(kind_) + " has no field '" + item.key() + "'" +
                       (accepted.empty() ? " (it takes none)" : " (it takes " + accepted + ")")};
      }
  }

 private:
  const json* find(const char* key, bool optional) {
    known_.insert(key);
    if (o_.contains(key)) return &o_[key];
    if (!optional) throw BadField{"architecture layer " + o_.dump() + " needs the field '" + key + "'"};
    return nullptr;
  }
  const json& o_;
  const char* kind_;
  std::set<std::string> known_;
};

class JsonWriter final : public FieldVisitor {
 public:
  explicit JsonWriter(json& o) : o_(o) {}
  void whole(const char* key, int& value, std::optional<int>) override { o_[key] = value; }
  void number(const char* key, float& value, std::optional<float>) override { o_[key] = value; }
  void choice(const char* key, bool& value, const char* if_true, const char* if_false, bool) override {
    o_[key] = value ? if_true : if_false;
  }

 private:
  json& o_;
};

}  // namespace

std::string to_json(const ModelSpec& spec) {
  json j;
  j["input"] = {spec.height, spec.width, spec.channels};
  j["init"] = init_name(spec.init);
  j["layout"] = "NHWC activations; conv2d weight (KH,KW,C,OC); dense weight (IN,OUT)";
  auto& layers = j["layers"] = json::array();
  for (LayerSpec l : spec.layers) {  // a copy: the visitor interface also serves the reader
    json o;
    o["type"] = l.kind();
    JsonWriter writer(o);
    l.fields(writer);
    layers.push_back(o);
  }
  return j.dump();
}

Result<ModelSpec> model_spec_from_json(const std::string& text) {
  json j = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_object()) return Error{"architecture is not valid JSON"};
  try {
    ModelSpec spec;
    if (!j.contains("input")) return Error{"architecture JSON is missing a field: 'input'"};
    const auto& in = j["input"];
    if (!in.is_array() || in.size() != 3) return Error{"architecture 'input' must be [height, width, channels]"};
    spec.height = whole_value(in[0], "input");
    spec.width = whole_value(in[1], "input");
    spec.channels = whole_value(in[2], "input");
    if (j.contains("init")) {
      auto init = parse_init(string_field(j, "init"));
      if (!init) return Error{init.error()};
      spec.init = *init;
    }
    if (!j.contains("layers") || !j["layers"].is_array())
      return Error{"architecture JSON is missing a field: 'layers' must be a list of layers"};
    for (const auto& o : j["layers"]) {
      if (!o.is_object()) return Error{"architecture layer " + o.dump() + " is not an object"};
      Result<LayerSpec> layer = layer_registry().make(string_field(o, "type"));
      if (!layer) return Error{layer.error()};
      JsonReader reader(o, layer->kind());
      layer->fields(reader);
      reader.check_unknown_keys();
      spec.layers.push_back(std::move(*layer));
    }
    return spec;
  } catch (const BadField& e) {
    return Error{e.message};
  } catch (const json::exception& e) {
    return Error{std::string("architecture JSON is missing a field or has a wrong type: ") + e.what()};
  }
}

}  // namespace dt
