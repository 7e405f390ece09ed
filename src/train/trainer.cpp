#include "train/trainer.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>

#include "kernels/elementwise.h"

namespace dt {

namespace {
// "2.415", "2.351e+25": numbers in messages as people read them.
std::string short_number(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.4g", v);
  return buf;
}

int argmax(const float* v, int k) {
  int best = 0;
  for (int i = 1; i < k; ++i)
    if (v[i] > v[best]) best = i;
  return best;
}
}  // namespace

Trainer::Trainer(Model& model, const Dataset& train, const TrainConfig& config)
    : model_(model), train_(train), cfg_(config), start_lr_(config.lr), optimizer_(config.optimizer, model) {
  const int threads = cfg_.threads > 0 ? cfg_.threads : ThreadPool::hardware_threads();
  pool_ = std::make_unique<ThreadPool>(std::min(threads, std::max(1, cfg_.batch)));
  const int T = pool_->size();
  const int shard = (cfg_.batch + T - 1) / T;
  const int max_n = std::max(shard, 32);
  for (int t = 0; t < T; ++t) {
    ws_.emplace_back(model_, max_n);
    grads_.emplace_back(model_.num_params());
    labels_.emplace_back(max_n);
    probs_.emplace_back(static_cast<size_t>(max_n) * model_.classes());
  }
  shard_loss_.resize(T);
  slice_finite_.resize(T);
  shard_correct_.resize(T);
  shard_saved_.reserve(T);
  shard_n_.reserve(T);
  steps_per_epoch_ = (train_.count + cfg_.batch - 1) / cfg_.batch;
  order_.resize(train_.count);
  last_report_.steps_per_epoch = steps_per_epoch_;
  last_report_.total_steps = total_steps();
  start_epoch();
}

Trainer::~Trainer() = default;

int Trainer::threads() const { return pool_->size(); }

void Trainer::start_epoch() {
  for (int i = 0; i < train_.count; ++i) order_[i] = i;
  Rng rng(mix(cfg_.seed, 0x5e1f, static_cast<uint64_t>(epoch_)));
  for (int i = train_.count - 1; i > 0; --i) std::swap(order_[i], order_[rng.below(static_cast<uint32_t>(i + 1))]);
  pos_ = 0;
  epoch_loss_sum_ = 0;
  epoch_correct_ = epoch_samples_ = 0;
}

// Loss of shard t's n outputs against labels_[t]; writes d(loss)/d(output) into the shard's
// output gradient, scaled by grad_scale.
double Trainer::shard_loss(int t, int n, float grad_scale, long* correct) {
  Workspace& ws = ws_[t];
  const int K = model_.classes();
  const float* out = ws.output();
  float* probs = probs_[t].data();
  double total = 0;
  switch (cfg_.loss) {
    case LossKind::cross_entropy:
      total = softmax_cross_entropy_ref(ws.output_grad(), probs, out, labels_[t].data(), n, K, grad_scale,
                                        cfg_.label_smoothing);
      break;
    case LossKind::focal:
      total = focal_loss_ref(ws.output_grad(), probs, out, labels_[t].data(), n, K, cfg_.focal_gamma, grad_scale);
      break;
    case LossKind::mse: total = mse_onehot_ref(ws.output_grad(), out, labels_[t].data(), n, K, grad_scale); break;
  }
  long c = 0;
  for (int i = 0; i < n; ++i) c += argmax(out + static_cast<long>(i) * K, K) == labels_[t][i];
  *correct = c;
  return total;
}

StepReport Trainer::step() {
  if (pos_ >= train_.count) {
    ++epoch_;
    start_epoch();
  }
  const int B = static_cast<int>(std::min<long>(cfg_.batch, train_.count - pos_));
  const int T = pool_->size();
  const int P = model_.input_shape().size();
  std::vector<double>& loss = shard_loss_;
  std::vector<long>& correct = shard_correct_;
  const uint64_t step_seed = mix(cfg_.seed, 0xd509, static_cast<uint64_t>(global_step_));

  pool_->run([&](int t) {
    const int s = static_cast<int>(long(B) * t / T), e = static_cast<int>(long(B) * (t + 1) / T), n = e - s;
    grads_[t].zero();
    loss[t] = 0.0;
    correct[t] = 0;
    if (n == 0) return;
    Workspace& ws = ws_[t];
    for (int i = 0; i < n; ++i) {
      const int idx = order_[pos_ + s + i];
      Rng rng(mix(cfg_.seed, static_cast<uint64_t>(epoch_), static_cast<uint64_t>(idx)));
      load_sample(ws.input() + static_cast<long>(i) * P, train_.image(idx), train_.height, train_.width, cfg_.augment, &rng);
      labels_[t][i] = train_.labels[idx];
    }
    ws.forward(model_, n, /*training=*/true, step_seed, s);
    loss[t] = shard_loss(t, n, 1.0f / float(B), &correct[t]);
    ws.backward(model_, n, grads_[t].data());
  });

  double batch_loss = 0;
  long batch_correct = 0;
  for (int t = 0; t < T; ++t) {
    batch_loss += loss[t];
    batch_correct += correct[t];
  }
  // The divergence guard, before anything changes: the loss first.
  const double mean_loss = batch_loss / B;
  if (!std::isfinite(mean_loss)) {
    return diverge("the training loss became " + std::string(std::isnan(mean_loss) ? "NaN" : "infinite"));
  }
  if (global_step_ == 0) first_loss_ = mean_loss;
  if (mean_loss > kLossGrowth * std::max(first_loss_, 0.1)) {
    return diverge("the training loss grew from " + short_number(first_loss_) + " at the first step to " +
                   short_number(mean_loss));
  }

  // Batch-norm running statistics first: the optimiser below does not touch them.
  for (int i = 0; i < model_.num_layers(); ++i) {
    shard_saved_.clear();
    shard_n_.clear();
    for (int t = 0; t < T; ++t) {
      const int n = static_cast<int>(long(B) * (t + 1) / T - long(B) * t / T);
      if (n > 0) {
        shard_saved_.push_back(ws_[t].saved(i));
        shard_n_.push_back(n);
      }
    }
    model_.layer(i).after_step(model_.params() + model_.layer_param_offset(i), shard_saved_, shard_n_);
  }
  // Each thread takes a slice of the parameters: sums the shards' gradients into grads_[0]
  // in shard order (so the result does not depend on timing) and checks them; then, when
  // every slice is finite, each updates its slice. Both in one job, with a barrier between
  // them: a step then hands work to the threads twice rather than three times, and every
  // hand-over risks waking a thread that fell asleep.
  const long N = model_.num_params();
  auto slice = [&](int t, long* lo, long* hi) {
    *lo = N * t / T / 16 * 16;
    *hi = t + 1 == T ? N : N * (t + 1) / T / 16 * 16;
  };
  const float lr = learning_rate(cfg_.schedule, cfg_.lr, global_step_, total_steps(), steps_per_epoch_);
  const int64_t optimizer_steps = optimizer_.steps();
  optimizer_.begin_step();
  pool_->run([&](int t) {
    long lo, hi;
    slice(t, &lo, &hi);
    for (int s = 1; s < T; ++s) add_into(grads_[0].data() + lo, grads_[s].data() + lo, static_cast<size_t>(hi - lo));
    slice_finite_[t] = all_finite(grads_[0].data() + lo, static_cast<size_t>(hi - lo));
    pool_->barrier();
    if (std::all_of(slice_finite_.begin(), slice_finite_.end(), [](char f) { return f != 0; }))
      optimizer_.update(model_, grads_[0].data(), lr, lo, hi);
  });
  for (int t = 0; t < T; ++t) {
    if (!slice_finite_[t]) {
      optimizer_.set_steps(optimizer_steps);  // no update happened
      return diverge("the gradients became NaN or infinite");
    }
  }

  pos_ += B;
  ++global_step_;
  samples_seen_ += B;
  epoch_loss_sum_ += batch_loss;
  epoch_correct_ += batch_correct;
  epoch_samples_ += B;

  StepReport r;
  r.epoch = epoch_;
  r.steps_per_epoch = steps_per_epoch_;
  r.step_in_epoch = (pos_ + cfg_.batch - 1) / cfg_.batch;
  r.global_step = global_step_;
  r.total_steps = total_steps();
  r.samples_seen = samples_seen_;
  r.loss = static_cast<float>(batch_loss / B);
  r.epoch_loss = static_cast<float>(epoch_loss_sum_ / double(epoch_samples_));
  r.epoch_accuracy = static_cast<float>(double(epoch_correct_) / double(epoch_samples_));
  r.lr = lr;
  r.epoch_end = pos_ >= train_.count;
  last_report_ = r;
  return r;
}

std::vector<WeightStatistics> Trainer::weight_statistics() const {
  std::vector<WeightStatistics> out;
  const std::string suffix = ".weight";
  for (const TensorInfo& t : model_.tensors()) {
    if (t.name.size() <= suffix.size() || t.name.compare(t.name.size() - suffix.size(), suffix.size(), suffix) != 0) continue;
    WeightStatistics s;
    s.layer = std::stoi(t.name.substr(7));  // "layers.<i>.weight"
    const float* w = model_.params() + t.offset;
    const float* g = global_step_ > 0 ? grads_[0].data() + t.offset : nullptr;
    double sw = 0, sg = 0;
    for (long i = 0; i < t.size; ++i) {
      sw += std::fabs(w[i]);
      if (g) sg += std::fabs(g[i]);
    }
    s.mean_abs_weight = static_cast<float>(sw / double(t.size));
    s.mean_abs_grad = static_cast<float>(sg / double(t.size));
    out.push_back(s);
  }
  return out;
}

StepReport Trainer::diverge(const std::string& what) {
  divergence_ = "training diverged at step " + std::to_string(global_step_ + 1) + " (epoch " + std::to_string(epoch_ + 1) +
                "): " + what + "; the weights are those of the step before. Try a smaller learning rate (it was " +
                short_number(cfg_.lr) + ")";
  StepReport r = last_report_;  // nothing moved: the state after the last good step
  r.epoch_end = false;
  return r;
}

bool Trainer::end_epoch(const EvalResult& val) {
  const int epoch = static_cast<int>(global_step_ / steps_per_epoch_);
  const bool last_epoch = global_step_ >= total_steps();
  const long n = model_.num_params();
  if (val.loss < best_val_loss_) {
    best_val_loss_ = val.loss;
    best_epoch_ = epoch;
    epochs_without_improvement_ = 0;
    if (!last_epoch) {  // the last epoch's weights are kept as they are: no copy needed
      best_params_.resize(n);
      std::memcpy(best_params_.data(), model_.params(), sizeof(float) * n);
    }
    return false;
  }
  ++epochs_without_improvement_;
  const bool stop = cfg_.patience > 0 && epochs_without_improvement_ >= cfg_.patience;
  if ((stop || last_epoch) && best_params_.size() > 0) {  // 0: no epoch was better (NaN losses)
    std::memcpy(model_.params(), best_params_.data(), sizeof(float) * n);
    restored_epoch_ = best_epoch_;
  }
  if (stop) stopped_early_ = true;
  return stop;
}

}  // namespace dt
