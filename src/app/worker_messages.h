// Folds the worker's messages (web/worker.js) into the AppState the panels draw.
#pragma once
#include <string>

#include "app/app_state.h"

namespace dt {

// `json` is one message without its binary payloads (those arrive through app_exports.cpp).
void apply_worker_message(AppState& app, const std::string& json);

}  // namespace dt
