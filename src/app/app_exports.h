// Connects the exported C functions (app_exports.cpp) to the UI's state.
#pragma once
#include "app/app_state.h"
#include "app/panels.h"
#include "app/pointer.h"

namespace dt {

void connect_exports(AppState* app, PointerState* pointer);

}  // namespace dt
