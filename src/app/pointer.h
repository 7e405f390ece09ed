// The pointer as the page sees it: mouse, touch and pen all arrive as DOM pointer events
// (web/ui.js), in CSS pixels. Emscripten's GLFW ignores touch and pen, so the UI takes its
// pointer from here instead.
#pragma once

namespace dt {

struct PointerState {
  float x = -1, y = -1;  // CSS pixels relative to the canvas
  bool down = false;
  bool pressed = false;  // a press since the last frame: a quick tap is not lost
};

}  // namespace dt
