// Batch normalisation over the channel axis, from the channel-vectorised passes in
// kernels/batchnorm_simd.h (reference: nn/ops/batchnorm.h). Statistics are per shard when a
// batch is split across threads (as data-parallel training without synchronised batch norm);
// the running averages are updated once per step from all shards, in shard order.
#include "nn/layers/batchnorm_layer.h"

#include <cmath>

#include "kernels/batchnorm_simd.h"
#include "nn/layer_registry.h"

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
  // mean, rstd: the batch's while training, the running statistics' in inference.
  long saved_floats(int) const override { return 2L * shape_.c; }

  // Per-channel coefficients live in scratch: 4C floats.
  long scratch_floats(int) const override { return 4L * shape_.c; }

  void forward(const Pass& p) const override {
    const int C = shape_.c;
    const long R = p.n * static_cast<long>(shape_.h) * shape_.w;
    const float* gamma = p.params;
    const float* beta = p.params + C;
    float* mean = p.saved;
    float* rstd = p.saved + C;
    float* scale = p.scratch;
    float* shift = p.scratch + C;
    if (p.training) {
      batchnorm_stats_simd(mean, rstd, p.in, R, C, eps_);
      for (int c = 0; c < C; ++c) scale[c] = gamma[c] * rstd[c];
    } else {
      const float* running_mean = p.params + 2 * C;
      const float* running_var = p.params + 3 * C;
      for (int c = 0; c < C; ++c) {
        mean[c] = running_mean[c];
        rstd[c] = 1.0f / std::sqrt(running_var[c] + eps_);
        scale[c] = gamma[c] * rstd[c];
      }
    }
    for (int c = 0; c < C; ++c) shift[c] = beta[c] - mean[c] * scale[c];
    scale_shift_rows_simd(p.out, p.in, scale, shift, R, C);  // y = gamma (x - mean) rstd + beta
  }

  // Training: dx = gamma rstd / R (R dy - sum(dy) - xhat sum(dy xhat)), xhat = (x - mean) rstd,
  // which is a[c] dy + b[c] x + c0[c] with the per-channel coefficients below. After an
  // inference forward the statistics are constants: dx = gamma rstd dy (rstd of the running
  // variance). dgamma and dbeta have the same form in both modes.
  void backward(const Pass& p) const override {
    const int C = shape_.c;
    const long R = p.n * static_cast<long>(shape_.h) * shape_.w;
    const float* gamma = p.params;
    const float* mean = p.saved;
    const float* rstd = p.saved + C;
    float* sum_dy = p.scratch;
    float* sum_dy_xhat = p.scratch + C;
    if (!p.training) {
      if (p.grads) {
        batchnorm_backward_sums_simd(sum_dy, sum_dy_xhat, p.dout, p.in, mean, rstd, R, C);
        for (int c = 0; c < C; ++c) {
          p.grads[c] += sum_dy_xhat[c];  // dgamma
          p.grads[C + c] += sum_dy[c];   // dbeta
        }
      }
      if (!p.din) return;
      float* a = p.scratch + 2 * C;
      float* zero = p.scratch + 3 * C;
      for (int c = 0; c < C; ++c) {
        a[c] = gamma[c] * rstd[c];
        zero[c] = 0.0f;
      }
      scale_shift_rows_simd(p.din, p.dout, a, zero, R, C);
      return;
    }
    batchnorm_backward_sums_simd(sum_dy, sum_dy_xhat, p.dout, p.in, mean, rstd, R, C);
    if (p.grads) {
      for (int c = 0; c < C; ++c) {
        p.grads[c] += sum_dy_xhat[c];  // dgamma
        p.grads[C + c] += sum_dy[c];   // dbeta
      }
    }
    if (!p.din) return;  // as the first layer: gamma and beta still learn
    float* a = p.scratch + 2 * C;
    float* b = p.scratch + 3 * C;
    float* c0 = sum_dy;  // reused in place: each channel reads its sums before writing c0
    for (int c = 0; c < C; ++c) {
      const float k = gamma[c] * rstd[c] / float(R);
      a[c] = gamma[c] * rstd[c];
      b[c] = -k * rstd[c] * sum_dy_xhat[c];
      c0[c] = -k * sum_dy[c] + k * rstd[c] * mean[c] * sum_dy_xhat[c];
    }
    affine2_rows_simd(p.din, p.dout, p.in, a, b, c0, R, C);
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

Result<std::unique_ptr<Layer>> BatchNormParams::build(const Shape3& in) const {
  if (!(eps > 0.0f)) return Error{std::string(kName) + " eps must be > 0"};
  if (!(momentum >= 0.0f && momentum < 1.0f)) return Error{std::string(kName) + " momentum must be in [0, 1)"};
  return std::unique_ptr<Layer>(new BatchNorm(in, eps, momentum));
}

void register_batchnorm_layer(LayerRegistry& registry) { registry.add<BatchNormParams>(); }

}  // namespace dt
