#include "nn/spec.h"

#include <nlohmann/json.hpp>
#include <sstream>

namespace dt {

namespace {
struct KindName {
  LayerKind kind;
  const char* name;
};
constexpr KindName kKinds[] = {
    {LayerKind::conv2d, "conv2d"},   {LayerKind::maxpool, "maxpool"},       {LayerKind::avgpool, "avgpool"},
    {LayerKind::dense, "dense"},     {LayerKind::flatten, "flatten"},       {LayerKind::dropout, "dropout"},
    {LayerKind::batchnorm, "batchnorm"}, {LayerKind::relu, "relu"},         {LayerKind::leaky_relu, "leaky_relu"},
    {LayerKind::sigmoid, "sigmoid"}, {LayerKind::tanh, "tanh"},             {LayerKind::softmax, "softmax"},
};
struct InitName {
  Init init;
  const char* name;
};
constexpr InitName kInits[] = {
    {Init::glorot_uniform, "glorot_uniform"}, {Init::he_uniform, "he_uniform"}, {Init::he_normal, "he_normal"}};
}  // namespace

const char* layer_kind_name(LayerKind kind) {
  for (const auto& k : kKinds)
    if (k.kind == kind) return k.name;
  return "?";
}

Result<LayerKind> parse_layer_kind(const std::string& name) {
  for (const auto& k : kKinds)
    if (name == k.name) return k.kind;
  return Error{"unknown layer type '" + name + "'"};
}

const char* init_name(Init init) {
  for (const auto& i : kInits)
    if (i.init == init) return i.name;
  return "?";
}

Result<Init> parse_init(const std::string& name) {
  for (const auto& i : kInits)
    if (name == i.name) return i.init;
  return Error{"unknown initialiser '" + name + "' (use glorot_uniform, he_uniform or he_normal)"};
}

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

Result<ModelSpec> model_spec_from_json(const std::string& text) {
  nlohmann::json j = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_object()) return Error{"architecture is not valid JSON"};
  try {
    ModelSpec spec;
    const auto& in = j.at("input");
    if (!in.is_array() || in.size() != 3) return Error{"architecture 'input' must be [height, width, channels]"};
    spec.height = in[0].get<int>();
    spec.width = in[1].get<int>();
    spec.channels = in[2].get<int>();
    if (j.contains("init")) {
      auto init = parse_init(j["init"].get<std::string>());
      if (!init) return Error{init.error()};
      spec.init = *init;
    }
    for (const auto& o : j.at("layers")) {
      auto kind = parse_layer_kind(o.at("type").get<std::string>());
      if (!kind) return Error{kind.error()};
      LayerSpec l;
      l.kind = *kind;
      switch (l.kind) {
        case LayerKind::conv2d: {
          l.units = o.at("filters").get<int>();
          l.kernel = o.at("kernel").get<int>();
          l.stride = o.value("stride", 1);
          const std::string pad = o.value("padding", std::string("valid"));
          if (pad != "same" && pad != "valid") return Error{"conv2d padding must be 'same' or 'valid', not '" + pad + "'"};
          l.same = pad == "same";
          break;
        }
        case LayerKind::maxpool:
        case LayerKind::avgpool:
          l.kernel = o.at("size").get<int>();
          l.stride = o.value("stride", l.kernel);
          break;
        case LayerKind::dense: l.units = o.at("units").get<int>(); break;
        case LayerKind::dropout: l.rate = o.at("rate").get<float>(); break;
        case LayerKind::leaky_relu: l.alpha = o.value("alpha", 0.01f); break;
        case LayerKind::batchnorm:
          l.eps = o.value("eps", 1e-3f);
          l.momentum = o.value("momentum", 0.99f);
          break;
        default: break;
      }
      spec.layers.push_back(l);
    }
    return spec;
  } catch (const nlohmann::json::exception& e) {
    return Error{std::string("architecture JSON is missing a field or has a wrong type: ") + e.what()};
  }
}

}  // namespace dt
