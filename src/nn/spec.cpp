#include "nn/spec.h"

#include <nlohmann/json.hpp>
#include <sstream>

#include "util/enum_names.h"

namespace dt {

namespace {
constexpr EnumName<LayerKind> kKinds[] = {
    {LayerKind::conv2d, "conv2d"},   {LayerKind::maxpool, "maxpool"},       {LayerKind::avgpool, "avgpool"},
    {LayerKind::dense, "dense"},     {LayerKind::flatten, "flatten"},       {LayerKind::dropout, "dropout"},
    {LayerKind::batchnorm, "batchnorm"}, {LayerKind::relu, "relu"},         {LayerKind::leaky_relu, "leaky_relu"},
    {LayerKind::sigmoid, "sigmoid"}, {LayerKind::tanh, "tanh"},             {LayerKind::softmax, "softmax"},
    {LayerKind::standardize, "standardize"},
};
constexpr EnumName<Init> kInits[] = {
    {Init::glorot_uniform, "glorot_uniform"}, {Init::he_uniform, "he_uniform"}, {Init::he_normal, "he_normal"},
    {Init::pytorch_uniform, "pytorch_uniform"}};
}  // namespace

LayerSpec layer_spec(LayerKind kind, int units, int kernel) {
  LayerSpec l;
  l.kind = kind;
  l.units = units;
  l.kernel = kernel;
  l.stride = kind == LayerKind::maxpool || kind == LayerKind::avgpool ? kernel : 1;
  return l;
}

const char* layer_kind_name(LayerKind kind) { return enum_name(kKinds, kind); }
Result<LayerKind> parse_layer_kind(const std::string& name) { return parse_enum(kKinds, name, "layer type"); }
const char* init_name(Init init) { return enum_name(kInits, init); }
Result<Init> parse_init(const std::string& name) { return parse_enum(kInits, name, "initialiser"); }

std::string describe(const LayerSpec& l) {
  std::ostringstream s;
  s << layer_kind_name(l.kind);
  switch (l.kind) {
    case LayerKind::conv2d:
      s << " " << l.units << " " << l.kernel << "x" << l.kernel << (l.same ? " same" : " valid");
      if (l.stride != 1) s << " stride " << l.stride;
      break;
    case LayerKind::maxpool:
    case LayerKind::avgpool:
      s << " " << l.kernel;
      if (l.stride != l.kernel) s << " stride " << l.stride;
      break;
    case LayerKind::dense: s << " " << l.units; break;
    case LayerKind::dropout: s << " " << l.rate; break;
    case LayerKind::leaky_relu: s << " " << l.alpha; break;
    case LayerKind::standardize: s << " mean " << l.mean << " std " << l.std; break;
    default: break;
  }
  return s.str();
}

std::string describe(const ModelSpec& spec) {
  std::string out;
  for (size_t i = 0; i < spec.layers.size(); ++i) out += (i ? ", " : "") + describe(spec.layers[i]);
  return out;
}

std::string to_json(const ModelSpec& spec) {
  nlohmann::json j;
  j["input"] = {spec.height, spec.width, spec.channels};
  j["init"] = init_name(spec.init);
  j["layout"] = "NHWC activations; conv2d weight (KH,KW,C,OC); dense weight (IN,OUT)";
  auto& layers = j["layers"] = nlohmann::json::array();
  for (const auto& l : spec.layers) {
    nlohmann::json o;
    o["type"] = layer_kind_name(l.kind);
    switch (l.kind) {
      case LayerKind::conv2d:
        o["filters"] = l.units;
        o["kernel"] = l.kernel;
        o["stride"] = l.stride;
        o["padding"] = l.same ? "same" : "valid";
        break;
      case LayerKind::maxpool:
      case LayerKind::avgpool:
        o["size"] = l.kernel;
        o["stride"] = l.stride;
        break;
      case LayerKind::dense: o["units"] = l.units; break;
      case LayerKind::dropout: o["rate"] = l.rate; break;
      case LayerKind::leaky_relu: o["alpha"] = l.alpha; break;
      case LayerKind::standardize:
        o["mean"] = l.mean;
        o["std"] = l.std;
        break;
      case LayerKind::batchnorm:
        o["eps"] = l.eps;
        o["momentum"] = l.momentum;
        break;
      default: break;
    }
    layers.push_back(o);
  }
  return j.dump();
}

namespace {
// A field that is wrong in a way the JSON library would not notice (it reads 3.5 as 3, casts
// 1e300 to int with undefined behaviour, and names no field in its type errors).
struct BadField {
  std::string message;
};

// Every integer in an architecture is a count or a size: a whole number from 1 to 2^20, which
// also keeps the layers' shape arithmetic far from int overflow.
constexpr long long kMaxInt = 1 << 20;

int int_value(const nlohmann::json& v, const std::string& name) {
  const bool whole = v.is_number_integer() && (v.is_number_unsigned() ? v.get<unsigned long long>() <= kMaxInt
                                                                       : v.get<long long>() <= kMaxInt);
  if (!whole || v.get<long long>() < 1)
    throw BadField{"architecture field '" + name + "' must be a whole number from 1 to " + std::to_string(kMaxInt) +
                   ", not " + v.dump()};
  return static_cast<int>(v.get<long long>());
}

int int_field(const nlohmann::json& o, const char* key, int fallback, bool required) {
  if (!o.contains(key)) {
    if (required) throw BadField{"architecture layer " + o.dump() + " needs the field '" + key + "'"};
    return fallback;
  }
  return int_value(o[key], key);
}

float float_field(const nlohmann::json& o, const char* key, float fallback, bool required) {
  if (!o.contains(key)) {
    if (required) throw BadField{"architecture layer " + o.dump() + " needs the field '" + key + "'"};
    return fallback;
  }
  if (!o[key].is_number()) throw BadField{"architecture field '" + std::string(key) + "' must be a number, not " + o[key].dump()};
  return o[key].get<float>();
}

std::string string_field(const nlohmann::json& o, const char* key, const std::string& fallback, bool required) {
  if (!o.contains(key)) {
    if (required) throw BadField{"architecture layer " + o.dump() + " needs the field '" + key + "'"};
    return fallback;
  }
  if (!o[key].is_string()) throw BadField{"architecture field '" + std::string(key) + "' must be a string, not " + o[key].dump()};
  return o[key].get<std::string>();
}
}  // namespace

Result<ModelSpec> model_spec_from_json(const std::string& text) {
  nlohmann::json j = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_object()) return Error{"architecture is not valid JSON"};
  try {
    ModelSpec spec;
    if (!j.contains("input")) return Error{"architecture JSON is missing a field: 'input'"};
    const auto& in = j["input"];
    if (!in.is_array() || in.size() != 3) return Error{"architecture 'input' must be [height, width, channels]"};
    spec.height = int_value(in[0], "input");
    spec.width = int_value(in[1], "input");
    spec.channels = int_value(in[2], "input");
    if (j.contains("init")) {
      auto init = parse_init(string_field(j, "init", "", true));
      if (!init) return Error{init.error()};
      spec.init = *init;
    }
    if (!j.contains("layers") || !j["layers"].is_array())
      return Error{"architecture JSON is missing a field: 'layers' must be a list of layers"};
    for (const auto& o : j["layers"]) {
      if (!o.is_object()) return Error{"architecture layer " + o.dump() + " is not an object"};
      auto kind = parse_layer_kind(string_field(o, "type", "", true));
      if (!kind) return Error{kind.error()};
      LayerSpec l;
      l.kind = *kind;
      switch (l.kind) {
        case LayerKind::conv2d: {
          l.units = int_field(o, "filters", 0, true);
          l.kernel = int_field(o, "kernel", 0, true);
          l.stride = int_field(o, "stride", 1, false);
          const std::string pad = string_field(o, "padding", "valid", false);
          if (pad != "same" && pad != "valid") return Error{"conv2d padding must be 'same' or 'valid', not '" + pad + "'"};
          l.same = pad == "same";
          break;
        }
        case LayerKind::maxpool:
        case LayerKind::avgpool:
          l.kernel = int_field(o, "size", 0, true);
          l.stride = int_field(o, "stride", l.kernel, false);
          break;
        case LayerKind::dense: l.units = int_field(o, "units", 0, true); break;
        case LayerKind::dropout: l.rate = float_field(o, "rate", 0.0f, true); break;
        case LayerKind::leaky_relu: l.alpha = float_field(o, "alpha", 0.01f, false); break;
        case LayerKind::standardize:
          l.mean = float_field(o, "mean", 0.0f, true);
          l.std = float_field(o, "std", 1.0f, true);
          break;
        case LayerKind::batchnorm:
          l.eps = float_field(o, "eps", 1e-3f, false);
          l.momentum = float_field(o, "momentum", 0.99f, false);
          break;
        default: break;
      }
      spec.layers.push_back(l);
    }
    return spec;
  } catch (const BadField& e) {
    return Error{e.message};
  } catch (const nlohmann::json::exception& e) {
    return Error{std::string("architecture JSON is missing a field or has a wrong type: ") + e.what()};
  }
}

}  // namespace dt
