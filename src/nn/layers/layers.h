// Constructors of the concrete layers, one per file in this folder. make_layer (layer.h)
// dispatches on LayerSpec::kind.
#pragma once
#include <algorithm>
#include <memory>
#include <string>

#include "nn/layer.h"

namespace dt {

Result<std::unique_ptr<Layer>> make_conv2d(const LayerSpec& s, Shape3 in);
Result<std::unique_ptr<Layer>> make_dense(const LayerSpec& s, Shape3 in);
Result<std::unique_ptr<Layer>> make_pool(const LayerSpec& s, Shape3 in);
Result<std::unique_ptr<Layer>> make_activation(const LayerSpec& s, Shape3 in);
Result<std::unique_ptr<Layer>> make_dropout(const LayerSpec& s, Shape3 in);
Result<std::unique_ptr<Layer>> make_flatten(const LayerSpec& s, Shape3 in);
Result<std::unique_ptr<Layer>> make_batchnorm(const LayerSpec& s, Shape3 in);
Result<std::unique_ptr<Layer>> make_standardize(const LayerSpec& s, Shape3 in);

}  // namespace dt
