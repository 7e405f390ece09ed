// Where things are on the canvas (named controls, windows' scrolling, contents wider than
// their window) and the pointer input beyond app_pointer: the wheel, whether the pointer is a
// finger, whether the canvas has the keyboard. Like app_exports.cpp, it holds a pointer to the
// UI's state, set once at start-up, because a C boundary has no object to hang it on.
#include <emscripten/emscripten.h>

#include <cstdio>
#include <string>

#include "app/layout_exports.h"
#include "imgui.h"
#include "imgui_internal.h"  // the windows' list, sizes and scrolling

namespace dt {

namespace {
AppState* g_app = nullptr;
PointerState* g_pointer = nullptr;
}  // namespace

void connect_layout_exports(AppState* app, PointerState* pointer) {
  g_app = app;
  g_pointer = pointer;
}

void note_item_rect(AppState& app, const char* name) {
  const ImVec2 a = ImGui::GetItemRectMin(), b = ImGui::GetItemRectMax();
  app.widget_rects[name] = {a.x, a.y, b.x - a.x, b.y - a.y};
  app.widget_ids[name] = ImGui::GetItemID();
}

namespace {

// The windows a person sees: not tooltips, popups or windows left over from another layout.
bool shown(const ImGuiWindow* w) {
  return w->Active && !w->Hidden && !(w->Flags & (ImGuiWindowFlags_Tooltip | ImGuiWindowFlags_Popup));
}

}  // namespace

}  // namespace dt

using dt::g_app;
using dt::g_pointer;

extern "C" {

// A wheel or trackpad scroll, in CSS pixels (positive: right, down).
EMSCRIPTEN_KEEPALIVE void app_wheel(float dx, float dy) {
  if (g_app) dt::note_input(*g_app, emscripten_get_now());
  if (!g_pointer) return;
  g_pointer->wheel_x += dx;
  g_pointer->wheel_y += dy;
}

// Whether the pointer events that follow are a finger's or a pen's (1) or a mouse's (0).
EMSCRIPTEN_KEEPALIVE void app_pointer_touch(int touch) {
  if (g_app) dt::note_input(*g_app, emscripten_get_now());
  if (g_pointer) g_pointer->touch = touch != 0;
}

// Whether the canvas has the page's keyboard focus, and how it came: by Tab (+1), by Shift+Tab
// (-1; the keyboard then starts at the first or the last panel's edge) or otherwise (0).
EMSCRIPTEN_KEEPALIVE void app_keyboard_focus(int focused, int entry) {
  if (g_app) dt::note_input(*g_app, emscripten_get_now());
  if (!g_pointer) return;
  g_pointer->keyboard_focus = focused != 0;
  g_pointer->keyboard_entry = focused != 0 ? entry : 0;
}

// A named control's rectangle (e.g. "Start", "Save") in CSS pixels: [x, y, width, height],
// all zero when it is not shown.
EMSCRIPTEN_KEEPALIVE const float* app_widget_rect(const char* name) {
  static float out[4];
  for (float& v : out) v = 0;
  if (!g_app) return out;
  const auto it = g_app->widget_rects.find(name);
  if (it != g_app->widget_rects.end())
    for (int i = 0; i < 4; ++i) out[i] = it->second[i] / g_app->dpr;
  return out;
}

// The named control with keyboard focus, "" for none (or one without a name).
EMSCRIPTEN_KEEPALIVE const char* app_focused_control() {
  const ImGuiContext* g = ImGui::GetCurrentContext();
  if (!g_app || !g_pointer || !g || g->NavId == 0 || !g_pointer->keyboard_focus || g->NavDisableHighlight) return "";
  for (const auto& [name, id] : g_app->widget_ids)
    if (id == g->NavId && g_app->widget_rects.count(name)) return name.c_str();
  return "";
}

// The panel whose control has the keyboard's focus frame ("Train", "Draw", "Inspect",
// "Evaluate", "digitrain" in one column), '' when no focus frame is shown.
EMSCRIPTEN_KEEPALIVE const char* app_focused_panel() {
  const ImGuiContext* g = ImGui::GetCurrentContext();
  if (!g_pointer || !g || !g_pointer->keyboard_focus || g->NavDisableHighlight || !g->NavWindow) return "";
  return g->NavWindow->Name;
}

// A window's scrolling in CSS pixels: [scroll y, largest scroll y, x, y, width, height], all
// zero for a window that is not shown. Windows are "Train", "Draw", "Inspect", "Evaluate", or
// "digitrain" for the one-column layout.
EMSCRIPTEN_KEEPALIVE const float* app_window_scroll(const char* name) {
  static float out[6];
  for (float& v : out) v = 0;
  const ImGuiWindow* w = ImGui::GetCurrentContext() ? ImGui::FindWindowByName(name) : nullptr;
  if (!g_app || !w || !dt::shown(w)) return out;
  const float k = 1 / g_app->dpr;
  const float v[6] = {w->Scroll.y, w->ScrollMax.y, w->Pos.x, w->Pos.y, w->Size.x, w->Size.y};
  for (int i = 0; i < 6; ++i) out[i] = v[i] * k;
  return out;
}

// What does not fit: each shown window whose contents are wider than the window (cut at its
// right edge; windows never scroll sideways), one per line as "name: contents > visible", in
// CSS pixels; "" when everything fits.
EMSCRIPTEN_KEEPALIVE const char* app_clipped() {
  static std::string out;
  out.clear();
  if (!g_app || !ImGui::GetCurrentContext()) return out.c_str();
  for (const ImGuiWindow* w : ImGui::GetCurrentContext()->Windows) {
    if (!dt::shown(w)) continue;
    const float contents = w->ContentSize.x, visible = w->ContentRegionRect.GetWidth();
    if (contents > visible + 1) {
      char line[200];
      std::snprintf(line, sizeof line, "%s: %.0f > %.0f\n", w->Name, contents / g_app->dpr, visible / g_app->dpr);
      out += line;
    }
  }
  return out.c_str();
}

}  // extern "C"
