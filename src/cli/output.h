// How the CLI's commands answer: problems as one line on stderr with an exit code, results as
// JSON lines or as text tables on stdout.
#pragma once
#include <string>

#include <nlohmann/json.hpp>

#include "train/evaluate.h"

namespace dt::cli {

// "digitrain: MESSAGE" on stderr; the exit code for a bad command line (2) or a failure (1).
int usage_error(const std::string& message);
int error(const std::string& message);

// One JSON object on one line of stdout, flushed so that a reading process sees it at once.
void print_json(const nlohmann::json& j);

// Test accuracy, loss, macro F1 and kappa, per-class scores and the confusion matrix as text.
void print_test_report(const EvalResult& r);

}  // namespace dt::cli
