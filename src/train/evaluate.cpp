#include "train/evaluate.h"

#include <algorithm>

#include "data/augment.h"
#include "nn/ops/activations.h"
#include "nn/ops/loss.h"

namespace dt {

EvalResult evaluate(const Model& model, const Dataset& data, ThreadPool& pool, std::vector<Workspace>& ws) {
  const int T = pool.size();
  const int chunk = ws[0].max_n();
  const int K = model.classes();
  const int P = static_cast<int>(model.input_shape().size());
  const int chunks = (data.count + chunk - 1) / chunk;
  std::vector<ConfusionMatrix> cms(T);
  std::vector<double> losses(T, 0.0);
  std::vector<uint8_t> predicted(data.count);  // threads write disjoint chunks
  std::vector<float> probabilities(static_cast<size_t>(data.count) * K);
  pool.run([&](int t) {
    Workspace& w = ws[t];
    std::vector<float> probs(static_cast<size_t>(chunk) * K);
    for (int c = t; c < chunks; c += T) {
      const int s = c * chunk, n = std::min(chunk, data.count - s);
      for (int i = 0; i < n; ++i)
        load_sample(w.input() + static_cast<long>(i) * P, data.image(s + i), data.height, data.width, Augment{}, nullptr);
      w.forward(model, n, /*training=*/false);
      const float* out = w.output();
      losses[t] += softmax_cross_entropy_ref<float>(nullptr, probs.data(), out, data.labels.data() + s, n, K, 0.0f);
      std::copy(probs.begin(), probs.begin() + static_cast<long>(n) * K, probabilities.begin() + static_cast<long>(s) * K);
      for (int i = 0; i < n; ++i) {
        const float* o = out + static_cast<long>(i) * K;
        const int p = static_cast<int>(std::max_element(o, o + K) - o);
        predicted[s + i] = static_cast<uint8_t>(p);
        cms[t].add(data.labels[s + i], p);
      }
    }
  });
  EvalResult r;
  r.predicted = std::move(predicted);
  r.probabilities = std::move(probabilities);
  double total = 0;
  for (int t = 0; t < T; ++t) {  // merged in thread order: deterministic
    r.confusion.merge(cms[t]);
    total += losses[t];
  }
  r.loss = data.count ? total / data.count : 0.0;
  return r;
}

Evaluator::Evaluator(const Model& model, int threads, int chunk)
    : model_(model), pool_(threads > 0 ? threads : ThreadPool::hardware_threads()) {
  for (int t = 0; t < pool_.size(); ++t) ws_.emplace_back(model, chunk);
}

}  // namespace dt
