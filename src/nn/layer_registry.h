// The layer kinds a saved architecture may name. Each layer file registers its kinds in a
// function named after the file (conv2d_layer.cpp defines register_conv2d_layer); the build
// finds every file in nn/layers/ and calls them all (see nn/CMakeLists.txt), so adding a kind
// is one new layer file and nothing else.
#pragma once
#include <string>
#include <vector>

#include "nn/layer_spec.h"

namespace dt {

class LayerRegistry {
 public:
  // Registers kind P; it must have every piece a kind needs (see layer_spec.h).
  template <class P>
  void add() {
    rows_.push_back({P::kName, [] { return LayerSpec(P{}); }});
  }
  // A spec of the named kind with its default parameters, or an error listing the known kinds.
  Result<LayerSpec> make(const std::string& name) const;
  std::vector<std::string> names() const;

 private:
  struct Row {
    const char* name;
    LayerSpec (*make)();
  };
  std::vector<Row> rows_;
};

// Every kind, registered once on first use and immutable afterwards.
const LayerRegistry& layer_registry();

}  // namespace dt
