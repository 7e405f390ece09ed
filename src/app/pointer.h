// The pointer as the page sees it: mouse, touch and pen all arrive as DOM pointer events
// (web/ui.js), in CSS pixels, and so do wheel and trackpad scrolls. Emscripten's GLFW ignores
// touch and pen and gets the wheel's sign and size wrong, so the UI takes all of them from here.
#pragma once

namespace dt {

struct PointerState {
  float x = -1, y = -1;  // CSS pixels relative to the canvas
  bool down = false;
  bool pressed = false;  // a press since the last frame: a quick tap is not lost
  float press_x = -1, press_y = -1;  // where it was: a click and a move away within one frame still click there
  bool touch = false;    // the latest pointer is a finger or a pen (drags scroll, no hover after lifting)
  float wheel_x = 0, wheel_y = 0;  // CSS pixels scrolled since the last frame (positive: right, down)
  bool keyboard_focus = false;     // the canvas has the page's keyboard focus
  int keyboard_entry = 0;          // it came by Tab (+1) or Shift+Tab (-1), not yet handled
};

}  // namespace dt
