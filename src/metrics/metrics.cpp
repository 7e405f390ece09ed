#include "metrics/metrics.h"

namespace dt {

void ConfusionMatrix::merge(const ConfusionMatrix& o) {
  for (int i = 0; i < K; ++i)
    for (int j = 0; j < K; ++j) counts_[i][j] += o.counts_[i][j];
}

long ConfusionMatrix::total() const {
  long n = 0;
  for (const auto& row : counts_)
    for (long c : row) n += c;
  return n;
}

long ConfusionMatrix::correct() const {
  long n = 0;
  for (int k = 0; k < K; ++k) n += counts_[k][k];
  return n;
}

double ConfusionMatrix::accuracy() const {
  const long n = total();
  return n ? double(correct()) / double(n) : 0.0;
}

ClassScores ConfusionMatrix::scores(int k) const {
  long predicted = 0, actual = 0;
  for (int i = 0; i < K; ++i) {
    predicted += counts_[i][k];
    actual += counts_[k][i];
  }
  ClassScores s;
  s.support = actual;
  const double tp = double(counts_[k][k]);
  s.precision = predicted ? tp / double(predicted) : 0.0;
  s.recall = actual ? tp / double(actual) : 0.0;
  s.f1 = (s.precision + s.recall) > 0 ? 2 * s.precision * s.recall / (s.precision + s.recall) : 0.0;
  return s;
}

double ConfusionMatrix::macro_precision() const {
  double s = 0;
  for (int k = 0; k < K; ++k) s += scores(k).precision;
  return s / K;
}

double ConfusionMatrix::macro_recall() const {
  double s = 0;
  for (int k = 0; k < K; ++k) s += scores(k).recall;
  return s / K;
}

double ConfusionMatrix::macro_f1() const {
  double s = 0;
  for (int k = 0; k < K; ++k) s += scores(k).f1;
  return s / K;
}

double ConfusionMatrix::cohen_kappa() const {
  const double n = double(total());
  if (n == 0) return 0.0;
  double pe = 0;
  for (int k = 0; k < K; ++k) {
    long row = 0, col = 0;
    for (int i = 0; i < K; ++i) {
      row += counts_[k][i];
      col += counts_[i][k];
    }
    pe += (double(row) / n) * (double(col) / n);
  }
  const double po = double(correct()) / n;
  return pe < 1.0 ? (po - pe) / (1.0 - pe) : 1.0;
}

}  // namespace dt
