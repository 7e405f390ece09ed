// A confusion matrix and its per-class scores as JSON, in the one shape every front end
// writes: the CLI's --json lines and the page's worker messages.
#pragma once
#include <nlohmann/json.hpp>

#include "metrics/metrics.h"

namespace dt {

// [[count, ...], ...]: K rows of K counts; row = true class, column = predicted class.
nlohmann::json confusion_json(const ConfusionMatrix& cm);

// [{class, precision, recall, f1, support}, ...], one object per class.
nlohmann::json per_class_json(const ConfusionMatrix& cm);

}  // namespace dt
