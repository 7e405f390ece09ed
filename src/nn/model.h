// A sequential model: layers built from a ModelSpec, and one flat parameter buffer sliced
// into named tensors. The tensor table {name, shape, offset} is the single description the
// optimiser, the safetensors writer and the reader all use, so adding a layer type never
// means updating parallel lists.
#pragma once
#include <memory>
#include <string>
#include <vector>

#include "nn/layer.h"
#include "nn/spec.h"
#include "util/aligned_buffer.h"

namespace dt {

struct TensorInfo {
  std::string name;  // "layers.<i>.<param>", e.g. "layers.0.weight"
  std::vector<int> shape;
  long offset = 0;   // in floats, into the parameter buffer
  long size = 0;
  bool trainable = true;
  bool decays = false;
};

class Model {
 public:
  // Builds the layers for `spec`, checking that every layer fits its input.
  static Result<Model> build(const ModelSpec& spec);

  const ModelSpec& spec() const { return spec_; }
  int num_layers() const { return static_cast<int>(layers_.size()); }
  const Layer& layer(int i) const { return *layers_[i]; }
  Shape3 input_shape() const { return shapes_.front(); }
  Shape3 shape_after(int i) const { return shapes_[i + 1]; }  // output of layer i
  Shape3 output_shape() const { return shapes_.back(); }
  int classes() const { return static_cast<int>(shapes_.back().size()); }

  const std::vector<TensorInfo>& tensors() const { return tensors_; }
  long num_params() const { return static_cast<long>(params_.size()); }
  long num_trainable() const;
  long layer_param_offset(int i) const { return layer_offsets_[i]; }
  float* params() { return params_.data(); }
  const float* params() const { return params_.data(); }

  // Fresh parameters from the spec's initialiser, reproducible from `seed`.
  void initialize(uint64_t seed);

 private:
  ModelSpec spec_;
  std::vector<std::shared_ptr<const Layer>> layers_;  // immutable, shared by copies of a model
  std::vector<Shape3> shapes_;                         // input, then each layer's output
  std::vector<long> layer_offsets_;
  std::vector<TensorInfo> tensors_;
  AlignedBuffer params_;
};

// The per-thread memory one shard of a batch needs: every layer's activations (kept for the
// backward and for showing feature maps), two ping-pong gradient buffers, what each layer
// saves for its backward, and scratch. Sized once for up to `max_n` samples.
class Workspace {
 public:
  Workspace(const Model& model, int max_n);
  int max_n() const { return max_n_; }
  float* input() { return acts_.data(); }                        // (max_n, input shape)
  const float* activation(int i) const { return acts_.data() + act_off_[i]; }  // 0 = input, i = after layer i-1
  const float* output() const { return activation(static_cast<int>(act_off_.size()) - 1); }
  float* output_grad() { return grad_[0].data(); }               // the loss writes dL/d(output) here
  const float* saved(int layer) const { return saved_.data() + saved_off_[layer]; }

  void forward(const Model& model, int n, bool training, uint64_t seed = 0, long first_sample = 0);
  // Backward through every layer, reading output_grad(), of the function the latest forward
  // computed (training or inference mode). Accumulates into grads (num_params), unless grads is
  // null (only the input gradient is wanted). With input_grad (n, input shape), also writes
  // d(sum(output * output_grad))/d(input) there; training passes none, and the first layer then
  // skips that work.
  void backward(const Model& model, int n, float* grads, float* input_grad = nullptr);

  // One layer of either pass, for timing layers one by one (the benchmark's profile). A
  // layer's backward reads the gradient that the layer after it wrote (output_grad() for the
  // last one), so layers run from last to first, as backward() runs them.
  void forward_layer(const Model& model, int layer, int n, bool training, uint64_t seed = 0, long first_sample = 0);
  void backward_layer(const Model& model, int layer, int n, float* grads, float* input_grad = nullptr);

 private:
  Pass pass_for(const Model& model, int layer, int n) const;
  int max_n_;
  bool training_forward_ = true;  // the mode of the latest forward, which its backward follows
  std::vector<long> act_off_, saved_off_;
  AlignedBuffer acts_, saved_, scratch_;
  AlignedBuffer grad_[2];
};

}  // namespace dt
