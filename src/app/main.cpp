// digitrain's UI: Dear ImGui on WebGL2 through the GLFW and OpenGL3 backends, on the page's
// main thread. It never trains: the worker does (web/worker.js), and its reports arrive
// through app_exports.cpp. The frame reads top to bottom in numbered sections.
#include <emscripten/emscripten.h>
#include <emscripten/html5.h>

#include <GLFW/glfw3.h>

#include <cmath>
#include <cstdio>

#include "app/app_exports.h"
#include "app/panels.h"
#include "imgui.h"
#include "imgui_internal.h"  // ImHashData
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
constexpr double kInputEchoMs = 500;

struct Ui {
  GLFWwindow* window = nullptr;
  dt::AppState app;
  dt::PointerState pointer;
  dt::PanelTextures textures;
  float font_dpr = 0;  // the device pixel ratio the font atlas was built for
  ImU32 last_picture = 0;  // hash of the last frame drawn
  double last_draw_ms = 0;   // when it was drawn
  double last_input_ms = 0;  // the user's last pointer, wheel or key event
  ImGuiStyle base_style;
};

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
  ImGui::GetStyle() = ui.base_style;
  ImGui::GetStyle().ScaleAllSizes(dpr);
  ui.font_dpr = dpr;
}

// Landscape: three columns. Portrait (phones): one scrolling column.
void layout_and_draw_panels(Ui& ui, float width, float height) {
  const ImGuiWindowFlags fixed = ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoResize | ImGuiWindowFlags_NoCollapse;
  dt::AppState& app = ui.app;
  if (width < height * 0.9f) {
    ImGui::SetNextWindowPos(ImVec2(0, 0));
    ImGui::SetNextWindowSize(ImVec2(width, height));
    ImGui::Begin("digitrain", nullptr, fixed | ImGuiWindowFlags_NoTitleBar);
    if (ImGui::CollapsingHeader("Draw", ImGuiTreeNodeFlags_DefaultOpen)) dt::draw_panel(app, ui.textures);
    if (ImGui::CollapsingHeader("Train", ImGuiTreeNodeFlags_DefaultOpen)) dt::train_panel(app);
    if (ImGui::CollapsingHeader("Evaluate", ImGuiTreeNodeFlags_DefaultOpen)) dt::evaluate_panel(app, ui.textures);
    dt::runs_panel(app);
    if (ImGui::CollapsingHeader("Inspect")) dt::inspect_panel(app, ui.textures);
    // Phones: a drag that starts on no widget scrolls the column (ImGui 1.86 has no touch
    // scrolling of its own; the pad and sliders keep their drags).
    const ImGuiIO& io = ImGui::GetIO();
    if (io.MouseDown[0] && !ImGui::IsAnyItemActive() && ImGui::IsWindowHovered(ImGuiHoveredFlags_ChildWindows))
      ImGui::SetScrollY(ImGui::GetScrollY() - io.MouseDelta.y);
    ImGui::End();
    return;
  }
  // Landscape: Train on the left, Draw above Inspect in the middle, Evaluate on the right.
  const float c1 = std::floor(width * 0.36f), c2 = std::floor(width * 0.68f), mid = std::floor(height * 0.5f);
  auto place = [&](const char* name, float x0, float y0, float x1, float y1) {
    ImGui::SetNextWindowPos(ImVec2(x0, y0));
    ImGui::SetNextWindowSize(ImVec2(x1 - x0, y1 - y0));
    return ImGui::Begin(name, nullptr, fixed);
  };
  if (place("Train", 0, 0, c1, height)) dt::train_panel(app);
  ImGui::End();
  if (place("Draw", c1, 0, c2, mid)) dt::draw_panel(app, ui.textures);
  ImGui::End();
  if (place("Inspect", c1, mid, c2, height)) dt::inspect_panel(app, ui.textures);
  ImGui::End();
  if (place("Evaluate", c2, 0, width, height)) dt::evaluate_panel(app, ui.textures);
  dt::runs_panel(app);  // at the bottom of the Evaluate window
  ImGui::End();
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

void frame(void* arg) {
  Ui& ui = *static_cast<Ui*>(arg);

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
  }
  if (dpr != ui.font_dpr) rebuild_fonts(ui, dpr);
  ui.app.dpr = dpr;

  // 2. Input: the backends' frame, then the page's pointer (mouse, touch and pen alike).
  ImGui_ImplOpenGL3_NewFrame();
  ImGui_ImplGlfw_NewFrame();
  ImGuiIO& io = ImGui::GetIO();
  io.DisplaySize = ImVec2(static_cast<float>(fb_w), static_cast<float>(fb_h));
  io.DisplayFramebufferScale = ImVec2(1, 1);
  io.MousePos = ui.pointer.x < 0 ? ImVec2(-FLT_MAX, -FLT_MAX) : ImVec2(ui.pointer.x * dpr, ui.pointer.y * dpr);
  io.MouseDown[0] = ui.pointer.down || ui.pointer.pressed;
  ui.pointer.pressed = false;

  // 3. Panels.
  ImGui::NewFrame();
  if (user_input(io)) ui.last_input_ms = emscripten_get_now();
  dt::update_pad_prediction(ui.app);
  layout_and_draw_panels(ui, io.DisplaySize.x, io.DisplaySize.y);
  ImGui::Render();

  // 4. Draw, unless the picture is the same as the last one drawn: the canvas keeps showing
  //    it, and the CPU (and on software GL, a whole core) goes to training instead. Pictures
  //    that changed without the user are drawn at most every kProgressRedrawMs.
  const ImU32 picture = picture_hash(ImGui::GetDrawData(), ui.textures.uploads());
  if (picture == ui.last_picture) return;
  const double now = emscripten_get_now();
  const bool responding = now - ui.last_input_ms < kInputEchoMs;
  if (!responding && now - ui.last_draw_ms < kProgressRedrawMs) return;
  ui.last_picture = picture;
  ui.last_draw_ms = now;
  glViewport(0, 0, fb_w, fb_h);
  glClearColor(0.08f, 0.08f, 0.10f, 1.0f);
  glClear(GL_COLOR_BUFFER_BIT);
  ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
}

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
  ImGui::GetIO().IniFilename = nullptr;  // the layout is computed each frame, nothing to save
  ImGui::StyleColorsDark();
  ui.base_style = ImGui::GetStyle();
  ImGui_ImplGlfw_InitForOpenGL(ui.window, true);
  ImGui_ImplOpenGL3_Init("#version 300 es");
  const char* shader_error = nullptr;
  if (!dt::init_image_renderer(&shader_error)) {
    js_ui_ready(shader_error);
    return 1;
  }
  dt::connect_exports(&ui.app, &ui.pointer);
  js_ui_ready(nullptr);

  // Main loop: the browser calls frame() once per animation frame.
  emscripten_set_main_loop_arg(frame, &ui, 0, false);
  return 0;
}
