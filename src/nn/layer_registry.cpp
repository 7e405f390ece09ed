#include "nn/layer_registry.h"

namespace dt {

// Defined in a file the build writes: it calls every layer file's register function.
void register_all_layers(LayerRegistry& registry);

Result<LayerSpec> LayerRegistry::make(const std::string& name) const {
  std::string known;
  for (size_t i = 0; i < rows_.size(); ++i) {
    if (name == rows_[i].name) return rows_[i].make();
    known += std::string(i == 0 ? "" : i + 1 == rows_.size() ? " or " : ", ") + rows_[i].name;
  }
  return Error{"unknown layer type '" + name + "' (use " + known + ")"};
}

std::vector<std::string> LayerRegistry::names() const {
  std::vector<std::string> out;
  for (const Row& r : rows_) out.emplace_back(r.name);
  return out;
}

const LayerRegistry& layer_registry() {
  static const LayerRegistry registry = [] {
    LayerRegistry r;
    register_all_layers(r);
    return r;
  }();
  return registry;
}

}  // namespace dt
