#include "nn/model.h"

#include <algorithm>

namespace dt {

Result<Model> Model::build(const ModelSpec& spec) {
  if (spec.height < 1 || spec.width < 1 || spec.channels < 1) return Error{"model input shape must be positive"};
  if (spec.layers.empty()) return Error{"model has no layers"};
  Model m;
  m.spec_ = spec;
  m.shapes_.push_back({spec.height, spec.width, spec.channels});
  long offset = 0;
  for (size_t i = 0; i < spec.layers.size(); ++i) {
    auto layer = spec.layers[i].build(m.shapes_.back());
    if (!layer) return Error{"layer " + std::to_string(i) + " (" + describe(spec.layers[i]) + "): " + layer.error()};
    m.layer_offsets_.push_back(offset);
    // A layer's tensors are contiguous, in params() order (layers address them from one
    // pointer); each layer's block starts 64-byte aligned.
    for (const ParamInfo& p : (*layer)->params()) {
      TensorInfo t{"layers." + std::to_string(i) + "." + p.name, p.shape, offset, p.size(), p.trainable, p.decays};
      offset += t.size;
      m.tensors_.push_back(t);
    }
    offset = static_cast<long>(round_up_floats(static_cast<size_t>(offset)));
    m.shapes_.push_back((*layer)->out_shape());
    m.layers_.push_back(std::move(*layer));
  }
  m.params_.resize(static_cast<size_t>(offset));
  return m;
}

long Model::num_trainable() const {
  long n = 0;
  for (const auto& t : tensors_)
    if (t.trainable) n += t.size;
  return n;
}

void Model::initialize(uint64_t seed) {
  params_.zero();
  for (int i = 0; i < num_layers(); ++i) {
    Rng rng(mix(seed, 0x1417, static_cast<uint64_t>(i)));
    layers_[i]->init(params_.data() + layer_offsets_[i], spec_.init, rng);
  }
}

Workspace::Workspace(const Model& model, int max_n) : max_n_(std::max(1, max_n)) {
  long acts = 0, saved = 0, scratch = 0, largest = 0;
  act_off_.push_back(0);
  acts += round_up_floats(max_n_ * model.input_shape().size());
  for (int i = 0; i < model.num_layers(); ++i) {
    act_off_.push_back(acts);
    const long out = max_n_ * model.shape_after(i).size();
    acts += round_up_floats(out);
    largest = std::max({largest, out, max_n_ * (i == 0 ? model.input_shape().size() : model.shape_after(i - 1).size())});
    saved_off_.push_back(saved);
    saved += round_up_floats(model.layer(i).saved_floats(max_n_));
    scratch = std::max(scratch, model.layer(i).scratch_floats(max_n_));
  }
  acts_.resize(acts);
  saved_.resize(std::max(saved, 1L));
  scratch_.resize(std::max(scratch, 1L));
  grad_[0].resize(largest);
  grad_[1].resize(largest);
}

Pass Workspace::pass_for(const Model& model, int i, int n) const {
  Pass p;
  p.n = n;
  p.in = activation(i);
  p.out = const_cast<float*>(activation(i + 1));
  p.params = model.params() + model.layer_param_offset(i);
  p.saved = const_cast<float*>(saved(i));
  p.scratch = const_cast<float*>(scratch_.data());
  return p;
}

void Workspace::forward_layer(const Model& model, int i, int n, bool training, uint64_t seed, long first_sample) {
  Pass p = pass_for(model, i, n);
  p.training = training;
  training_forward_ = training;
  p.seed = mix(seed, static_cast<uint64_t>(i));
  p.first_sample = first_sample;
  model.layer(i).forward(p);
}

void Workspace::forward(const Model& model, int n, bool training, uint64_t seed, long first_sample) {
  for (int i = 0; i < model.num_layers(); ++i) forward_layer(model, i, n, training, seed, first_sample);
}

// The forward read in reverse: each layer turns d(its output) into d(its input), alternating
// between the two gradient buffers (the last layer reads grad_[0], the output gradient).
void Workspace::backward_layer(const Model& model, int i, int n, float* grads, float* input_grad) {
  const int cur = (model.num_layers() - 1 - i) % 2;
  Pass p = pass_for(model, i, n);
  p.training = training_forward_;
  p.dout = grad_[cur].data();
  p.din = i == 0 ? input_grad : grad_[1 - cur].data();
  p.grads = grads ? grads + model.layer_param_offset(i) : nullptr;
  model.layer(i).backward(p);
}

void Workspace::backward(const Model& model, int n, float* grads, float* input_grad) {
  for (int i = model.num_layers() - 1; i >= 0; --i) backward_layer(model, i, n, grads, input_grad);
}

}  // namespace dt
