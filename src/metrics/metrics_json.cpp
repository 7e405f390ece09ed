#include "metrics/metrics_json.h"

namespace dt {

nlohmann::json confusion_json(const ConfusionMatrix& cm) {
  nlohmann::json rows = nlohmann::json::array();
  for (int truth = 0; truth < ConfusionMatrix::K; ++truth) {
    nlohmann::json row = nlohmann::json::array();
    for (int predicted = 0; predicted < ConfusionMatrix::K; ++predicted) row.push_back(cm.at(truth, predicted));
    rows.push_back(std::move(row));
  }
  return rows;
}

nlohmann::json per_class_json(const ConfusionMatrix& cm) {
  nlohmann::json out = nlohmann::json::array();
  for (int k = 0; k < ConfusionMatrix::K; ++k) {
    const ClassScores s = cm.scores(k);
    out.push_back({{"class", k}, {"precision", s.precision}, {"recall", s.recall}, {"f1", s.f1}, {"support", s.support}});
  }
  return out;
}

}  // namespace dt
