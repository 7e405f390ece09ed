// Classification metrics, all derived from one confusion matrix (rows: true class, columns:
// predicted class), so that every number shown comes from the same counts.
#pragma once
#include <array>
#include <cstdint>

#include "util/digit_shape.h"

namespace dt {

struct ClassScores {
  double precision = 0, recall = 0, f1 = 0;
  long support = 0;  // samples whose true class this is
};

class ConfusionMatrix {
 public:
  static constexpr int K = kClasses;
  void add(int truth, int predicted) { ++counts_[truth][predicted]; }
  void merge(const ConfusionMatrix& o);
  long at(int truth, int predicted) const { return counts_[truth][predicted]; }
  long total() const;
  long correct() const;
  double accuracy() const;
  ClassScores scores(int k) const;  // precision/recall/F1 of class k (0 where undefined)
  double macro_precision() const;
  double macro_recall() const;
  double macro_f1() const;
  double cohen_kappa() const;  // (p_o - p_e) / (1 - p_e)

 private:
  std::array<std::array<long, K>, K> counts_{};
};

}  // namespace dt
