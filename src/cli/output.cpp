#include "cli/output.h"

#include <cstdio>

namespace dt::cli {

int usage_error(const std::string& message) {
  std::fprintf(stderr, "digitrain: %s\n", message.c_str());
  return 2;
}

int error(const std::string& message) {
  std::fprintf(stderr, "digitrain: %s\n", message.c_str());
  return 1;
}

void print_json(const nlohmann::json& j) {
  std::printf("%s\n", j.dump().c_str());
  std::fflush(stdout);
}

void print_test_report(const EvalResult& r) {
  const ConfusionMatrix& cm = r.confusion;
  std::printf("test accuracy %.2f%%  loss %.4f  macro F1 %.4f  kappa %.4f\n", 100 * r.accuracy(), r.loss, cm.macro_f1(),
              cm.cohen_kappa());
  std::printf("\nclass  precision  recall  f1      support\n");
  for (int k = 0; k < ConfusionMatrix::K; ++k) {
    const ClassScores s = cm.scores(k);
    std::printf("%5d  %9.4f  %6.4f  %6.4f  %7ld\n", k, s.precision, s.recall, s.f1, s.support);
  }
  std::printf("\nconfusion matrix (rows: true digit, columns: predicted)\n      ");
  for (int j = 0; j < ConfusionMatrix::K; ++j) std::printf("%6d", j);
  std::printf("\n");
  for (int i = 0; i < ConfusionMatrix::K; ++i) {
    std::printf("%6d", i);
    for (int j = 0; j < ConfusionMatrix::K; ++j) std::printf("%6ld", cm.at(i, j));
    std::printf("\n");
  }
}

}  // namespace dt::cli
