// digitrain's UI: Dear ImGui on WebGL2 through the GLFW and OpenGL3 backends, on the page's
// main thread. It never trains: the worker does (web/worker.js), and its reports arrive
// through app_exports.cpp. The frame reads top to bottom in numbered sections.
#include <emscripten/emscripten.h>
#include <emscripten/eventloop.h>
#include <emscripten/html5.h>

#include <GLFW/glfw3.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <vector>

#include "app/app_exports.h"
#include "app/layout_exports.h"
#include "app/panels.h"
#include "imgui.h"
#include "imgui_internal.h"  // ImHashData, the hovered and active windows, tabbing requests
#include "imgui_impl_glfw.h"
#include "imgui_impl_opengl3.h"

namespace {

constexpr const char* kCanvas = "#canvas";
constexpr float kFontSize = 13.0f;  // CSS pixels: Dear ImGui's built-in font at its design size
// While nobody interacts, a new picture comes from training progress alone: twice a second is
// enough to follow it, and each redraw costs CPU the trainer could use. With software GL
// (SwiftShader, as in headless Chromium) a redraw costs tens of milliseconds of CPU: 5 redraws
// a second took 9% off 2-thread training, 2 a second about 3%. Input, and the replies it
// causes, draw at once.
constexpr double kProgressRedrawMs = 500;
// While a run trains, its progress changes every picture, so every allowed redraw happens, and
// each takes the CPU from training threads that wait for each other at every step: a redraw
// that stalls one of two threads stalls both. Once a second is still enough to follow it.
// (Measured in headless Chromium, 2 threads, keras-cnn: the page's other threads took ~0.14
// of a core while training, the GPU process ~0.06 of it drawing, ~0.03 once a second.)
constexpr double kTrainingRedrawMs = 1000;
constexpr double kInputEchoMs = 500;
// While a stroke is drawn the guess is recomputed at most this often.
constexpr double kStrokeGuessMs = 100;
// The UI is built in every animation frame (60 a second) only while someone uses it: from an
// input until a second after the last, and once for each new thing the page hands it. Else it
// is built 10 times a second, enough for training progress (drawn twice a second anyway):
// building every panel 60 times a second took ~0.1 of a core from the trainer.
constexpr double kAwakeAfterInputMs = 1000;
constexpr double kQuietFrameMs = 100;
// While a run trains and nobody uses the page, the UI's loop goes further: it sleeps until the
// next progress picture is due, with no animation frames at all in between, and wakes at once
// for input or news. Every thread the browser runs for the page takes its CPU from one of the
// two training threads, and the other then waits for it at the step's end: 60 animation
// frames a second that mostly returned at once, with the compositor's work for each, still
// kept the page's own threads at ~0.14 of a core (headless Chromium, 2 threads, keras-cnn).
// ImGui answers some things a frame or two later (a focus moved, a window sized to new
// contents): news from the page gets this many frames at once.
constexpr int kWakeFrames = 3;
// A coarse pointer (a finger) gets controls this much taller and wider than the mouse's.
constexpr float kTouchPaddingScale = 2.0f;
// How far (CSS pixels) a finger moves on a control before a mostly vertical drag scrolls.
constexpr float kTouchSlop = 8.0f;

// A finger's (or pen's) drag, from press to lift.
struct TouchDrag {
  ImVec2 start;                  // where it was pressed
  ImGuiWindow* window = nullptr; // the scrollable window under the press
  bool deciding = false;         // not yet known whether it scrolls
  bool scrolling = false;
};

struct Ui {
  GLFWwindow* window = nullptr;
  dt::AppState app;
  dt::PointerState pointer;
  dt::PanelTextures textures;
  float font_dpr = 0;  // the device pixel ratio the font atlas was built for
  ImU32 last_picture = 0;  // hash of the last frame drawn
  double last_draw_ms = 0;   // when it was drawn
  double last_built_ms = 0;  // when the UI was last built (see kQuietFrameMs)
  int wake_frames = 0;       // frames still to build at once for news (kWakeFrames)
  double last_input_ms = 0;  // the user's last pointer, wheel or key event
  ImGuiStyle base_style;
  bool coarse_pointer = false;  // the style was built for fingers
  std::vector<int> keys_pressed;  // GLFW keys pressed since the last frame: a quick tap is not lost
  bool shift_at_press = false;    // Shift was held when one of them was pressed (Shift+Tab)
  std::vector<int> keys_tapped;   // keys held down for one frame after being released already
  TouchDrag touch_drag;                // a finger's drag: scrolling or not, and what
  bool train_focused = false;          // the Train panel has had the keyboard's first focus
  float panel_heights[3] = {0, 0, 0};  // the panels' heights when last drawn, kept during strokes
  double last_prediction_ms = 0;       // when the pad's guess was last computed
  bool nav_id_alive = false;           // the keyboard's focused control was drawn last frame
  std::vector<ImGuiWindow*> panels;    // the panels' windows in Tab order, as last drawn
  ImGuiWindow* tab_into = nullptr;     // the panel the keyboard moves to in the next frame
  int tab_into_edge = 0;               // +1: at its first control, -1: at its last
  int wake_timer = 0;                  // while the loop sleeps (sleep_while_quiet): the timeout that ends it, else 0
};

// Whether the page's main pointer is a finger (CSS `pointer: coarse`).
EM_JS(int, js_coarse_pointer, (), { return matchMedia('(pointer: coarse)').matches ? 1 : 0; });

// Fonts and sizes follow the device pixel ratio so text stays crisp on high-DPI screens:
// ImGui works in device pixels and everything is scaled once here.
void rebuild_fonts(Ui& ui, float dpr) {
  ImGuiIO& io = ImGui::GetIO();
  io.Fonts->Clear();
  // The built-in font is rasterised from its outlines at the device size, so it stays sharp
  // at any ratio without shipping a font file.
  ImFontConfig cfg;
  cfg.SizePixels = std::round(kFontSize * dpr);
  io.Fonts->AddFontDefault(&cfg);
  ImGui_ImplOpenGL3_DestroyFontsTexture();
  ImGui_ImplOpenGL3_CreateFontsTexture();
  ImGuiStyle& style = ImGui::GetStyle();
  style = ui.base_style;
  ui.coarse_pointer = js_coarse_pointer() != 0;
  if (ui.coarse_pointer) {  // fingers: taller buttons and rows, wider scrollbars and grabs
    style.FramePadding = ImVec2(style.FramePadding.x * kTouchPaddingScale, style.FramePadding.y * kTouchPaddingScale);
    style.ItemSpacing.y *= kTouchPaddingScale;
    style.ScrollbarSize *= 1.5f;
    style.GrabMinSize *= 2;
  }
  // Keyboard focus: a clearly visible frame around the focused control.
  style.Colors[ImGuiCol_NavHighlight] = ImVec4(1.0f, 0.85f, 0.25f, 1.0f);
  style.ScaleAllSizes(dpr);
  ui.font_dpr = dpr;
}

// Panel contents fit their window's width: text wraps at the right edge, and settings fill the
// width left of their labels (the longest being "learning rate").
void begin_panel_contents() {
  ImGui::PushTextWrapPos(0.0f);
  ImGui::PushItemWidth(-(ImGui::CalcTextSize("learning rate").x + ImGui::GetStyle().ItemInnerSpacing.x));
}
void end_panel_contents() {
  ImGui::PopItemWidth();
  ImGui::PopTextWrapPos();
}

// Draws a panel, or while a stroke is drawn on the pad, an empty space of the height it had:
// its picture is not redrawn then (see frame()), so building it would only cost the CPU that
// keeps the pen responsive, and the space keeps its window's scrolling as it was.
template <class DrawPanel>
void panel_or_space(bool stroking, float& height, DrawPanel&& draw) {
  const float y0 = ImGui::GetCursorPosY();
  if (stroking && height > 0) {
    ImGui::Dummy(ImVec2(0, std::max(0.0f, height - ImGui::GetStyle().ItemSpacing.y)));
    return;
  }
  draw();
  height = ImGui::GetCursorPosY() - y0;
}

// Landscape: three columns. Portrait (phones): one scrolling column.
void layout_and_draw_panels(Ui& ui, float width, float height, bool stroking) {
  const ImGuiWindowFlags fixed = ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoResize | ImGuiWindowFlags_NoCollapse;
  dt::AppState& app = ui.app;
  dt::PanelTextures& tex = ui.textures;
  ui.panels.clear();
  app.one_column = width < height * 0.9f;
  if (app.one_column) {
    ImGui::SetNextWindowPos(ImVec2(0, 0));
    ImGui::SetNextWindowSize(ImVec2(width, height));
    ImGui::Begin("digitrain", nullptr, fixed | ImGuiWindowFlags_NoTitleBar);
    ui.panels.push_back(ImGui::GetCurrentWindow());
    begin_panel_contents();
    if (ImGui::CollapsingHeader("Draw", ImGuiTreeNodeFlags_DefaultOpen)) dt::draw_panel(app, tex);
    panel_or_space(stroking, ui.panel_heights[0], [&] {
      if (ImGui::CollapsingHeader("Train", ImGuiTreeNodeFlags_DefaultOpen)) {
        dt::train_panel(app);
        dt::network_panel(app);
        dt::data_panel(app, tex);
      }
      if (ImGui::CollapsingHeader("Evaluate", ImGuiTreeNodeFlags_DefaultOpen)) dt::evaluate_panel(app, tex);
      dt::mistakes_panel(app, tex);
      dt::runs_panel(app);
      const bool inspect_open = ImGui::CollapsingHeader("Inspect");
      dt::note_item_rect(app, "Inspect");
      if (inspect_open) {
        dt::inspect_panel(app, tex);
      } else {  // nothing of it is shown (Why this guess is inside it)
        app.shown.inspect = {};
        app.shown.why = {};
      }
    });
    end_panel_contents();
    ImGui::End();
    return;
  }
  // Landscape: Train on the left, Draw above Inspect in the middle, Evaluate on the right.
  // On narrow screens the middle column takes a larger share, so the pad stays big enough to
  // draw on beside its guess.
  const bool narrow = width < ImGui::GetFontSize() * 75;
  const float c1 = std::floor(width * (narrow ? 0.33f : 0.34f)), c2 = std::floor(width * (narrow ? 0.70f : 0.68f));
  const float mid = std::floor(height * 0.5f);
  auto place = [&](const char* name, float x0, float y0, float x1, float y1, auto&& draw) {
    ImGui::SetNextWindowPos(ImVec2(x0, y0));
    ImGui::SetNextWindowSize(ImVec2(x1 - x0, y1 - y0));
    if (ImGui::Begin(name, nullptr, fixed)) {
      ui.panels.push_back(ImGui::GetCurrentWindow());
      begin_panel_contents();
      draw();
      end_panel_contents();
    }
    ImGui::End();
  };
  place("Train", 0, 0, c1, height, [&] {
    panel_or_space(stroking, ui.panel_heights[0], [&] {
      dt::train_panel(app);
      dt::network_panel(app);
      dt::data_panel(app, tex);  // at the bottom of the Train window
    });
  });
  place("Draw", c1, 0, c2, mid, [&] { dt::draw_panel(app, tex); });
  place("Inspect", c1, mid, c2, height, [&] { panel_or_space(stroking, ui.panel_heights[1], [&] { dt::inspect_panel(app, tex); }); });
  place("Evaluate", c2, 0, width, height, [&] { panel_or_space(stroking, ui.panel_heights[2], [&] {
    dt::evaluate_panel(app, tex);
    dt::mistakes_panel(app, tex);
    dt::runs_panel(app);  // at the bottom of the Evaluate window
  }); });
  // The keyboard starts in Train (windows that appear take focus; the last one would keep it).
  if (!ui.train_focused) {
    ImGui::SetWindowFocus("Train");
    ui.train_focused = true;
  }
}

// The innermost window under `window` (itself or a parent) that can scroll vertically.
ImGuiWindow* scrollable(ImGuiWindow* window) {
  auto scrolls = [](const ImGuiWindow* w) { return w->ScrollMax.y > 0 && !(w->Flags & ImGuiWindowFlags_NoScrollbar); };
  while (window && !scrolls(window) && (window->Flags & ImGuiWindowFlags_ChildWindow)) window = window->ParentWindow;
  return window && scrolls(window) ? window : nullptr;
}

// Fingers and pens scroll: a drag that starts on no control (ImGui then holds the window
// itself active, to keep it from moving) scrolls the window under it at once; one that starts
// on a control scrolls once it has gone kTouchSlop further up or down than sideways, and the
// control lets go (a button is then not pressed). The pad always keeps its strokes, and a
// sideways drag keeps a slider. ImGui 1.86 has no touch scrolling of its own.
void drag_scroll(Ui& ui) {
  ImGuiContext& g = *ImGui::GetCurrentContext();
  const ImGuiIO& io = g.IO;
  TouchDrag& drag = ui.touch_drag;
  if (!ui.pointer.touch || !io.MouseDown[0]) {
    drag = TouchDrag{};
    return;
  }
  if (io.MouseClicked[0]) {
    drag = TouchDrag{};
    drag.start = io.MousePos;
    drag.window = scrollable(g.HoveredWindow);
    drag.deciding = true;
  }
  const bool on_no_control = g.ActiveId == 0 || (g.ActiveIdWindow && g.ActiveId == g.ActiveIdWindow->MoveId);
  const auto pad = ui.app.widget_ids.find("Pad");
  const bool on_pad = pad != ui.app.widget_ids.end() && g.ActiveId == pad->second;
  if (drag.deciding && !on_pad) {
    const float dx = std::fabs(io.MousePos.x - drag.start.x), dy = std::fabs(io.MousePos.y - drag.start.y);
    if (on_no_control) {
      drag.scrolling = true;
      drag.deciding = false;
    } else if (std::max(dx, dy) > kTouchSlop * ui.app.dpr) {
      drag.deciding = false;
      drag.scrolling = dy > dx;
      if (drag.scrolling) {
        ImGui::ClearActiveID();
        if (drag.window) ImGui::SetScrollY(drag.window, drag.window->Scroll.y - (io.MousePos.y - drag.start.y));
        return;
      }
    }
  }
  if (drag.scrolling && drag.window && io.MouseDelta.y != 0) ImGui::SetScrollY(drag.window, drag.window->Scroll.y - io.MouseDelta.y);
}

// Tab moves between all the controls of the focused window, in order: ImGui 1.86 tabs only
// between text fields, so its tabbing request is widened to every item (as its own
// SetKeyboardFocusHere does), and moves on from the focused control rather than restarting.
// When the focus is on no control that is drawn, or on the window itself (a click on its
// background focuses its title bar, which Tab does not visit), Tab starts at the window's
// first control: moving on from an item that tabbing never meets would find nothing.
// Returns +1 for a Tab pressed in this frame, -1 for Shift+Tab, 0 for neither.
int tab_through_every_control(bool nav_id_alive) {
  ImGuiContext& g = *ImGui::GetCurrentContext();
  if (!g.NavMoveSubmitted || !(g.NavMoveFlags & ImGuiNavMoveFlags_Tabbing)) return 0;
  g.NavMoveFlags |= ImGuiNavMoveFlags_FocusApi;
  const bool on_window_itself = g.NavWindow && g.NavId == g.NavWindow->MoveId;  // its title bar
  if (g.NavTabbingDir == 0 && g.NavId != 0 && nav_id_alive && !on_window_itself) g.NavTabbingDir = +1;
  return g.NavTabbingDir < 0 ? -1 : +1;
}

// Puts the keyboard on a panel's first (edge +1) or last (edge -1) control, as a Tab from
// nothing (or a Shift+Tab from nothing) in that window would. Called right after NewFrame,
// where ImGui itself starts its tabbing requests.
void focus_panel_edge(ImGuiWindow* panel, int edge) {
  ImGuiContext& g = *ImGui::GetCurrentContext();
  ImGui::FocusWindow(panel);
  ImGui::SetNavID(0, ImGuiNavLayer_Main, 0, ImRect());
  ImGui::NavMoveRequestSubmit(ImGuiDir_None, edge > 0 ? ImGuiDir_Down : ImGuiDir_Up,
                              ImGuiNavMoveFlags_Tabbing | ImGuiNavMoveFlags_FocusApi,
                              ImGuiScrollFlags_KeepVisibleEdgeX | ImGuiScrollFlags_KeepVisibleEdgeY);
  g.NavTabbingDir = edge > 0 ? 0 : -1;
  g.NavTabbingResultFirst.Clear();
  g.NavTabbingCounter = -1;
  g.NavDisableHighlight = false;
  g.NavDisableMouseHover = true;
}

// The page moves the keyboard off the canvas: to the page control after it (+1) or before it
// (-1) in the Tab order (web/ui.js).
EM_JS(void, js_keyboard_leaves, (int direction), { if (Module.onKeyboardLeave) Module.onKeyboardLeave(direction); });

// ImGui's Tab wraps around inside one window. Instead, Tab past a panel's last control goes on
// to the next panel's first, and Shift+Tab before a panel's first control back to the previous
// panel's last; a panel with no controls is passed over. Past the
// last panel (or before the first) the keyboard leaves the canvas for the page's other
// controls, so Tab never traps it. Runs after the panels were drawn, when ImGui has scored
// this frame's tabbing request (`direction`: +1 forward, -1 backward, 0 none) but not yet
// applied it.
void tab_across_panels(Ui& ui, int direction) {
  ImGuiContext& g = *ImGui::GetCurrentContext();
  if (direction == 0 || !g.NavMoveSubmitted || !(g.NavMoveFlags & ImGuiNavMoveFlags_Tabbing)) return;
  // No control met at all; forward: the focused control was met and none came after it;
  // backward: none came before it, so ImGui is still scoring to wrap round to the last.
  const bool no_controls = g.NavMoveResultLocal.ID == 0 && g.NavTabbingResultFirst.ID == 0;
  const bool past_last = g.NavIdIsAlive && g.NavTabbingDir == +1 && g.NavTabbingCounter == 1;
  const bool before_first = g.NavIdIsAlive && g.NavTabbingDir == -1 && g.NavMoveScoringItems;
  if (!no_controls && !past_last && !before_first) return;
  const auto at = std::find(ui.panels.begin(), ui.panels.end(), g.NavWindow);
  if (at == ui.panels.end()) return;  // a popup or a child window: ImGui's own wrapping
  ImGui::NavMoveRequestCancel();
  const long next = (at - ui.panels.begin()) + direction;
  if (next >= 0 && next < static_cast<long>(ui.panels.size())) {
    ui.tab_into = ui.panels[next];
    ui.tab_into_edge = direction;
    return;
  }
  g.NavDisableHighlight = true;
  js_keyboard_leaves(direction);
}

// Enter presses the focused button, as Space does (ImGui 1.86 keeps Enter for text input).
void enter_activates(const ImGuiIO& io) {
  const ImGuiContext& g = *ImGui::GetCurrentContext();
  if (g.ActiveId != 0 || io.WantTextInput) return;
  if (io.KeysDown[GLFW_KEY_ENTER] || io.KeysDown[GLFW_KEY_KP_ENTER]) ImGui::GetIO().NavInputs[ImGuiNavInput_Activate] = 1.0f;
}

// Everything that decides the pixels: each draw list's vertices, indices and commands, and
// how many texture uploads happened so far.
ImU32 picture_hash(const ImDrawData* dd, unsigned texture_uploads) {
  ImU32 h = ImHashData(&texture_uploads, sizeof texture_uploads, 0);
  h = ImHashData(&dd->DisplaySize, sizeof dd->DisplaySize, h);
  for (int n = 0; n < dd->CmdListsCount; ++n) {
    const ImDrawList* list = dd->CmdLists[n];
    h = ImHashData(list->VtxBuffer.Data, list->VtxBuffer.size_in_bytes(), h);
    h = ImHashData(list->IdxBuffer.Data, list->IdxBuffer.size_in_bytes(), h);
    for (const ImDrawCmd& cmd : list->CmdBuffer) {
      h = ImHashData(&cmd.ClipRect, sizeof cmd.ClipRect, h);
      h = ImHashData(&cmd.TextureId, sizeof cmd.TextureId, h);
      h = ImHashData(&cmd.ElemCount, sizeof cmd.ElemCount, h);
      h = ImHashData(&cmd.UserCallbackData, sizeof cmd.UserCallbackData, h);
    }
  }
  return h;
}

// Whether this frame carries anything the user did (after NewFrame, which derives the deltas).
bool user_input(const ImGuiIO& io) {
  if (io.MouseDelta.x != 0 || io.MouseDelta.y != 0 || io.MouseWheel != 0 || io.MouseWheelH != 0) return true;
  if (io.MouseDown[0] || io.MouseReleased[0] || !io.InputQueueCharacters.empty() || ImGui::IsAnyItemActive()) return true;
  for (bool down : io.KeysDown)
    if (down) return true;
  return false;
}

// Feeds the page's pointer, wheel and keyboard focus to ImGui (before NewFrame).
void feed_input(Ui& ui, float dpr) {
  ImGuiIO& io = ImGui::GetIO();
  dt::PointerState& p = ui.pointer;
  // A press since the last frame is seen where it happened: slow frames (software GL while
  // training) may also hold a move away and the release, which must not carry the click along;
  // a drag goes on from there in the next frame.
  const float px = p.pressed ? p.press_x : p.x, py = p.pressed ? p.press_y : p.y;
  io.MousePos = px < 0 ? ImVec2(-FLT_MAX, -FLT_MAX) : ImVec2(px * dpr, py * dpr);
  io.MouseDown[0] = p.down || p.pressed;
  p.pressed = false;
  // The wheel in CSS pixels, as the page scrolls: ImGui scrolls 5 lines per wheel unit.
  const float pixels_per_unit = 5 * kFontSize;
  io.MouseWheel -= p.wheel_y / pixels_per_unit;
  io.MouseWheelH -= p.wheel_x / pixels_per_unit;
  p.wheel_x = p.wheel_y = 0;
  // GLFW hears keys on the whole page; they are the UI's only while the canvas has focus.
  if (!p.keyboard_focus) {
    ImGui::GetCurrentContext()->NavDisableHighlight = true;  // no focus frame on a canvas without focus
    for (bool& down : io.KeysDown) down = false;
    io.KeyCtrl = io.KeyShift = io.KeyAlt = io.KeySuper = false;
    io.InputQueueCharacters.resize(0);
  }
  // A key pressed and released between two frames still counts as down for one frame.
  for (int key : ui.keys_tapped) io.KeysDown[key] = p.keyboard_focus && glfwGetKey(ui.window, key) == GLFW_PRESS;
  ui.keys_tapped.clear();
  // A Shift+Tab whose keys were all released before this frame is still a Shift+Tab (the
  // backend sets Shift only at key events, so it is read from the keys' state each frame).
  io.KeyShift = io.KeysDown[GLFW_KEY_LEFT_SHIFT] || io.KeysDown[GLFW_KEY_RIGHT_SHIFT];
  if (p.keyboard_focus && ui.shift_at_press && !ui.keys_pressed.empty()) io.KeyShift = true;
  ui.shift_at_press = false;
  for (int key : ui.keys_pressed)
    if (p.keyboard_focus && key >= 0 && key < IM_ARRAYSIZE(io.KeysDown) && !io.KeysDown[key]) {
      io.KeysDown[key] = true;
      ui.keys_tapped.push_back(key);
    }
  ui.keys_pressed.clear();
  enter_activates(io);
}

void key_callback(GLFWwindow* window, int key, int scancode, int action, int mods) {
  if (action == GLFW_PRESS) {
    Ui& ui = *static_cast<Ui*>(glfwGetWindowUserPointer(window));
    ui.keys_pressed.push_back(key);
    dt::note_input(ui.app, emscripten_get_now());
    if ((mods & GLFW_MOD_SHIFT) && key != GLFW_KEY_LEFT_SHIFT && key != GLFW_KEY_RIGHT_SHIFT) ui.shift_at_press = true;
  }
  ImGui_ImplGlfw_KeyCallback(window, key, scancode, action, mods);
}

// A finger lifted leaves no hover behind (tooltips, highlighted buttons): after the frame
// that saw the release, the pointer is gone.
void forget_lifted_finger(dt::PointerState& p) {
  if (p.touch && !p.down && !ImGui::GetIO().MouseDown[0]) p.x = p.y = -1;
}

// Clips every draw command to `r` (x, y, w, h): only that region of the canvas is redrawn.
void clip_draw_data(ImDrawData* dd, const float r[4]) {
  for (int n = 0; n < dd->CmdListsCount; ++n)
    for (ImDrawCmd& cmd : dd->CmdLists[n]->CmdBuffer) {
      cmd.ClipRect.x = std::max(cmd.ClipRect.x, r[0]);
      cmd.ClipRect.y = std::max(cmd.ClipRect.y, r[1]);
      cmd.ClipRect.z = std::min(cmd.ClipRect.z, r[0] + r[2]);
      cmd.ClipRect.w = std::min(cmd.ClipRect.w, r[1] + r[3]);
    }
}

// How long a picture that changed without the user waits after the last one drawn.
double progress_redraw_ms(const dt::AppState& app) {
  return app.state == dt::RunState::training ? kTrainingRedrawMs : kProgressRedrawMs;
}

// Whether the user is using the page: input within the last kAwakeAfterInputMs, or news that
// still has frames to be built at once.
bool awake(const Ui& ui, double now_ms) {
  return ui.app.wake || ui.wake_frames > 0 || now_ms - std::max(ui.last_input_ms, ui.app.input_ms) < kAwakeAfterInputMs;
}

void build_and_draw(Ui& ui) {

  // 1. Size: the canvas backing store follows its CSS size times the device pixel ratio.
  double css_w = 0, css_h = 0;
  emscripten_get_element_css_size(kCanvas, &css_w, &css_h);
  const float dpr = static_cast<float>(emscripten_get_device_pixel_ratio());
  const int fb_w = std::max(1, static_cast<int>(std::lround(css_w * dpr)));
  const int fb_h = std::max(1, static_cast<int>(std::lround(css_h * dpr)));
  int cur_w = 0, cur_h = 0;
  emscripten_get_canvas_element_size(kCanvas, &cur_w, &cur_h);
  if (cur_w != fb_w || cur_h != fb_h) {
    emscripten_set_canvas_element_size(kCanvas, fb_w, fb_h);  // clears the canvas: redraw now
    ui.last_input_ms = emscripten_get_now();
    ui.last_picture = 0;
  }
  if (dpr != ui.font_dpr) rebuild_fonts(ui, dpr);
  ui.app.dpr = dpr;
  const double start_ms = emscripten_get_now();
  if (ui.app.wake) ui.wake_frames = kWakeFrames;
  ui.app.wake = false;
  if (!awake(ui, start_ms) && start_ms - ui.last_built_ms < kQuietFrameMs) return;
  ui.wake_frames = std::max(0, ui.wake_frames - 1);
  ui.last_built_ms = start_ms;
  ++ui.app.shown.frames;

  // 2. Input: the backends' frame, then the page's pointer (mouse, touch and pen alike).
  ImGui_ImplOpenGL3_NewFrame();
  ImGui_ImplGlfw_NewFrame();
  ImGuiIO& io = ImGui::GetIO();
  io.DisplaySize = ImVec2(static_cast<float>(fb_w), static_cast<float>(fb_h));
  io.DisplayFramebufferScale = ImVec2(1, 1);
  feed_input(ui, dpr);

  // 3. Panels.
  ImGui::NewFrame();
  int tab_direction = tab_through_every_control(ui.nav_id_alive);
  if (ui.pointer.keyboard_entry != 0 && !ui.panels.empty()) {  // Tab from the page's controls
    ui.tab_into = ui.pointer.keyboard_entry > 0 ? ui.panels.front() : ui.panels.back();
    ui.tab_into_edge = ui.pointer.keyboard_entry;
  }
  ui.pointer.keyboard_entry = 0;
  if (ui.tab_into) {
    focus_panel_edge(ui.tab_into, ui.tab_into_edge);
    tab_direction = ui.tab_into_edge;
    ui.tab_into = nullptr;
  }
  if (user_input(io)) ui.last_input_ms = emscripten_get_now();
  // A stroke goes on while the pad held the pointer in the last frame and the button is still
  // down: a new press (a click elsewhere right after the pen lifted) starts no stroke.
  const bool stroking = ui.app.pad_stroke && io.MouseDown[0] && !io.MouseClicked[0];
  const double now_ms = emscripten_get_now();
  // The guess follows the pen ten times a second (each costs a forward pass on this thread),
  // and every time otherwise.
  if (!stroking || now_ms - ui.last_prediction_ms >= kStrokeGuessMs) {
    dt::update_pad_prediction(ui.app);
    ui.last_prediction_ms = now_ms;
  }
  ui.app.pad_stroke = false;
  layout_and_draw_panels(ui, io.DisplaySize.x, io.DisplaySize.y, stroking);
  drag_scroll(ui);
  tab_across_panels(ui, tab_direction);
  forget_lifted_finger(ui.pointer);
  ui.nav_id_alive = ImGui::GetCurrentContext()->NavIdIsAlive;
  ImGui::Render();

  // 4. Draw, unless the picture is the same as the last one drawn: the canvas keeps showing
  //    it, and the CPU (and on software GL, a whole core) goes to training instead. Pictures
  //    that changed without the user are drawn at most every progress_redraw_ms().
  //    During a stroke only the pad and its guess change for the user: only that region is
  //    drawn (the canvas keeps the rest, preserveDrawingBuffer), which with software GL is
  //    what keeps the ink following the pen while training takes the CPU; the whole picture
  //    follows when the stroke ends.
  ImDrawData* dd = ImGui::GetDrawData();
  const double now = emscripten_get_now();
  const float* d = ui.app.draw_region;  // the pad and its guess, within the canvas
  const float x0 = std::max(d[0], 0.0f), y0 = std::max(d[1], 0.0f);
  const float region[4] = {x0, y0, std::min(d[0] + d[2], static_cast<float>(fb_w)) - x0,
                           std::min(d[1] + d[3], static_cast<float>(fb_h)) - y0};
  if (ui.app.pad_stroke && ui.last_picture != 0 && region[2] > 0 && region[3] > 0) {
    clip_draw_data(dd, region);
    ui.last_picture = 1;  // not a hash of a whole picture: the next full one differs
    ui.last_draw_ms = now;
    glViewport(0, 0, fb_w, fb_h);
    glEnable(GL_SCISSOR_TEST);
    glScissor(static_cast<int>(region[0]), static_cast<int>(fb_h - region[1] - region[3]), static_cast<int>(region[2]),
              static_cast<int>(region[3]));
    glClearColor(0.08f, 0.08f, 0.10f, 1.0f);
    glClear(GL_COLOR_BUFFER_BIT);
    glDisable(GL_SCISSOR_TEST);
    ImGui_ImplOpenGL3_RenderDrawData(dd);
    return;
  }
  const ImU32 picture = picture_hash(dd, ui.textures.uploads());
  if (picture == ui.last_picture) return;
  const bool responding = now - ui.last_input_ms < kInputEchoMs;
  if (!responding && now - ui.last_draw_ms < progress_redraw_ms(ui.app)) return;
  ui.last_picture = picture;
  ui.last_draw_ms = now;
  ++ui.app.shown.pictures;
  glViewport(0, 0, fb_w, fb_h);
  glClearColor(0.08f, 0.08f, 0.10f, 1.0f);
  glClear(GL_COLOR_BUFFER_BIT);
  ImGui_ImplOpenGL3_RenderDrawData(dd);
}

void resume_frames(Ui& ui) {
  if (!ui.wake_timer) return;  // awake
  emscripten_clear_timeout(ui.wake_timer);  // nothing, when it is the timeout that fired
  ui.wake_timer = 0;
  emscripten_resume_main_loop();
}

// While a run trains and nobody uses the page: no frames until the next progress picture is
// due (at least kQuietFrameMs away), or until input or news resume them (AppState::resume_frames).
void sleep_while_quiet(Ui& ui) {
  const double now = emscripten_get_now();
  if (ui.app.state != dt::RunState::training || ui.app.pad_stroke || awake(ui, now)) return;
  const double due = std::max(kQuietFrameMs, ui.last_draw_ms + kTrainingRedrawMs - now);
  emscripten_pause_main_loop();
  // Timeout ids are positive (HTML's setTimeout), so a nonzero wake_timer means asleep.
  ui.wake_timer = emscripten_set_timeout([](void* arg) { resume_frames(*static_cast<Ui*>(arg)); }, due, &ui);
}

void frame(void* arg) {
  Ui& ui = *static_cast<Ui*>(arg);
  build_and_draw(ui);
  sleep_while_quiet(ui);
}

// Emscripten's GLFW listens for gamepads, and a page with gamepad listeners makes Chromium poll
// the gamepads 60 times a second in its own process (~1% of a core). The UI has no gamepad
// navigation.
EM_JS(void, js_ignore_gamepads, (), {
  window.removeEventListener('gamepadconnected', GLFW.onGamepadConnected, true);
  window.removeEventListener('gamepaddisconnected', GLFW.onGamepadDisconnected, true);
});

// Tells the page's glue that the UI is drawing (or why it cannot).
EM_JS(void, js_ui_ready, (const char* error), { Module.onUiReady(error ? UTF8ToString(error) : ""); });

}  // namespace

int main() {
  // Setup.
  static Ui ui;  // lives for the page's lifetime: the main loop below never returns
  if (!glfwInit()) {
    js_ui_ready("GLFW could not start");
    return 1;
  }
  glfwWindowHint(GLFW_CLIENT_API, GLFW_OPENGL_ES_API);
  glfwWindowHint(GLFW_CONTEXT_VERSION_MAJOR, 3);
  glfwWindowHint(GLFW_CONTEXT_VERSION_MINOR, 0);
  ui.window = glfwCreateWindow(800, 600, "digitrain", nullptr, nullptr);
  if (!ui.window) {
    js_ui_ready("this browser has no WebGL2");
    return 1;
  }
  glfwMakeContextCurrent(ui.window);
  IMGUI_CHECKVERSION();
  ImGui::CreateContext();
  ImGuiIO& io = ImGui::GetIO();
  io.IniFilename = nullptr;  // the layout is computed each frame, nothing to save
  io.ConfigFlags |= ImGuiConfigFlags_NavEnableKeyboard;  // Tab, arrows, Space and Enter reach every control
  ImGui::StyleColorsDark();
  ui.base_style = ImGui::GetStyle();
  ImGui_ImplGlfw_InitForOpenGL(ui.window, true);
  // The wheel comes from the page (web/ui.js) in CSS pixels: Emscripten's GLFW passes the
  // browser's pixel delta as wheel steps, with the sign reversed, so every scroll went up.
  glfwSetScrollCallback(ui.window, nullptr);
  glfwSetWindowUserPointer(ui.window, &ui);
  glfwSetKeyCallback(ui.window, key_callback);
  ImGui_ImplOpenGL3_Init("#version 300 es");
  const char* shader_error = nullptr;
  if (!dt::init_image_renderer(&shader_error)) {
    js_ui_ready(shader_error);
    return 1;
  }
  dt::connect_exports(&ui.app, &ui.pointer);
  dt::connect_layout_exports(&ui.app, &ui.pointer);
  js_ui_ready(nullptr);

  js_ignore_gamepads();
  ui.app.resume_frames = [] { resume_frames(ui); };

  // Main loop: the browser calls frame() once per animation frame.
  emscripten_set_main_loop_arg(frame, &ui, 0, false);
  return 0;
}
