// Where things are on the canvas, and the pointer input the page feeds beyond app_pointer
// (wheel, finger or mouse, keyboard focus): the C functions web/ui.js calls for them.
#pragma once
#include "app/app_state.h"
#include "app/pointer.h"

namespace dt {

// Called once by main() with the UI's state, which lives as long as the page.
void connect_layout_exports(AppState* app, PointerState* pointer);

}  // namespace dt
