// Evaluation: a dataset's loss and confusion matrix, on a pool of threads.
// No dropout, batch norm on its running statistics.
#pragma once
#include <vector>

#include "data/dataset.h"
#include "nn/model.h"
#include "metrics/metrics.h"
#include "nn/predict.h"
#include "util/thread_pool.h"

namespace dt {

struct EvalResult {
  double loss = 0;  // mean softmax cross-entropy of the outputs
  ConfusionMatrix confusion;
  std::vector<uint8_t> predicted;  // (count) the predicted class of each sample, for showing examples
  std::vector<float> probabilities;  // (count, classes) each sample's softmax, for ranking mistakes
  double accuracy() const { return confusion.accuracy(); }
};

// Uses one workspace per pool thread (ws.size() >= pool.size()); chunks of ws[0].max_n().
EvalResult evaluate(const Model& model, const Dataset& data, ThreadPool& pool, std::vector<Workspace>& ws);

// Owns what evaluation needs, for callers without a trainer (CLI eval and predict, the UI).
class Evaluator {
 public:
  Evaluator(const Model& model, int threads, int chunk = 64);
  EvalResult run(const Dataset& data) { return evaluate(model_, data, pool_, ws_); }
  void predict(float* probs, const float* pixels, int n) { predict_probs(probs, model_, ws_[0], pixels, n); }
  Workspace& workspace() { return ws_[0]; }

 private:
  const Model& model_;
  ThreadPool pool_;
  std::vector<Workspace> ws_;
};

}  // namespace dt
