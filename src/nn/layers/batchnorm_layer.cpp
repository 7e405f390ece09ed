// Batch normalisation over the channel axis (reference op). Statistics are per shard when a
// batch is split across threads (as data-parallel training without synchronised batch norm);
// the running averages are updated once per step from all shards, in shard order.
#include <cmath>

#include "nn/layers/layers.h"
#include "nn/ops/batchnorm.h"

namespace dt {
namespace {

class BatchNorm final : public Layer {
 public:
  BatchNorm(Shape3 shape, float eps, float momentum) : shape_(shape), eps_(eps), momentum_(momentum) {}
  Shape3 out_shape() const override { return shape_; }
  std::vector<ParamInfo> params() const override {
    const int C = shape_.c;
    return {{"gamma", {C}, true, false},
            {"beta", {C}, true, false},
            {"running_mean", {C}, false, false},
            {"running_var", {C}, false, false}};
  }
  void init(float* p, Init, Rng&) const override {
    const int C = shape_.c;
    for (int c = 0; c < C; ++c) {
      p[c] = 1.0f;          // gamma
      p[C + c] = 0.0f;      // beta
      p[2 * C + c] = 0.0f;  // running mean
      p[3 * C + c] = 1.0f;  // running var
    }
  }
  long saved_floats(int) const override { return 2L * shape_.c; }  // mean, rstd

  void forward(const Pass& p) const override {
    const int C = shape_.c;
    const long R = p.n * static_cast<long>(shape_.h) * shape_.w;
    const float* gamma = p.params;
    const float* beta = p.params + C;
    if (p.training)
      batchnorm_forward_train_ref(p.out, p.saved, p.saved + C, p.in, gamma, beta, R, C, eps_);
    else
      batchnorm_forward_infer_ref(p.out, p.in, gamma, beta, p.params + 2 * C, p.params + 3 * C, R, C, eps_);
  }
  long scratch_floats(int) const override { return 2L * shape_.c; }
  void backward(const Pass& p) const override {
    const int C = shape_.c;
    const long R = p.n * static_cast<long>(shape_.h) * shape_.w;
    // As the first layer batch norm gets no din (null), but gamma and beta still learn.
    batchnorm_backward_ref(p.din, p.grads, p.grads + C, p.dout, p.in, p.saved, p.saved + C, p.params, R, C, p.scratch);
  }
  void after_step(float* params, const std::vector<const float*>& saved, const std::vector<int>& n) const override {
    const int C = shape_.c;
    float* rmean = params + 2 * C;
    float* rvar = params + 3 * C;
    const long per_sample = static_cast<long>(shape_.h) * shape_.w;
    long total = 0;
    for (int k : n) total += k * per_sample;
    if (total < 2) return;
    for (int c = 0; c < C; ++c) {
      double mean = 0, sq = 0;  // pooled over shards: E[x] and E[x^2]
      for (size_t s = 0; s < saved.size(); ++s) {
        const double R = double(n[s]) * per_sample;
        const double m = saved[s][c];
        const double var = 1.0 / (double(saved[s][C + c]) * saved[s][C + c]) - eps_;
        mean += R * m;
        sq += R * (var + m * m);
      }
      mean /= double(total);
      double var = sq / double(total) - mean * mean;
      var *= double(total) / double(total - 1);  // unbiased, as Keras and PyTorch keep it
      rmean[c] = momentum_ * rmean[c] + (1.0f - momentum_) * static_cast<float>(mean);
      rvar[c] = momentum_ * rvar[c] + (1.0f - momentum_) * static_cast<float>(var);
    }
  }

 private:
  Shape3 shape_;
  float eps_, momentum_;
};

}  // namespace

Result<std::unique_ptr<Layer>> make_batchnorm(const LayerSpec& s, Shape3 in) {
  if (!(s.eps > 0.0f)) return Error{"batchnorm eps must be > 0"};
  if (!(s.momentum >= 0.0f && s.momentum < 1.0f)) return Error{"batchnorm momentum must be in [0, 1)"};
  return std::unique_ptr<Layer>(new BatchNorm(in, s.eps, s.momentum));
}

}  // namespace dt
