// The parameterless activations: relu, sigmoid, tanh, and softmax over each sample's values.
// (leaky_relu, which has a slope, is a layer file of its own.)
#pragma once
#include "nn/layer_spec.h"

namespace dt {

// What every parameterless activation has in common; each kind adds its name and factory.
struct NoParams {
  void fields(FieldVisitor&) {}
  std::string describe() const { return ""; }
};

struct ReluParams : NoParams {
  static constexpr const char* kName = "relu";
  Result<std::unique_ptr<Layer>> build(const Shape3& in) const;
};
struct SigmoidParams : NoParams {
  static constexpr const char* kName = "sigmoid";
  Result<std::unique_ptr<Layer>> build(const Shape3& in) const;
};
struct TanhParams : NoParams {
  static constexpr const char* kName = "tanh";
  Result<std::unique_ptr<Layer>> build(const Shape3& in) const;
};
struct SoftmaxParams : NoParams {
  static constexpr const char* kName = "softmax";
  Result<std::unique_ptr<Layer>> build(const Shape3& in) const;
};

}  // namespace dt
