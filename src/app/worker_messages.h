// Folds the page's messages (the worker's reports, and `restored`; types in
// protocol/protocol.h) into the AppState the panels draw.
#pragma once
#include <string>

#include "app/app_state.h"

namespace dt {

// `json` is one message without its binary payloads (those arrive through app_exports.cpp).
// A message that is not understood, or whose fields have the wrong types, changes nothing but
// app.error, which says what was wrong with it.
void apply_worker_message(AppState& app, const std::string& json);

}  // namespace dt
