// Why this guess: for the image on the pad, an attribution map over the network's 28x28 view
// for the guessed class (or any class picked), laid over that view in red (evidence for the
// class) and blue (against it). Two methods (nn/attribution.h): gradient x input (one
// backward pass) and occlusion (the drop in the class's probability when a patch of the image
// is hidden). Computed on the page's own copy of the network, never by the trainer.
#include <algorithm>
#include <cmath>
#include <cstdio>

#include "app/panels.h"
#include "app/word_wrap.h"
#include "data/dataset_info.h"
#include "util/digit_shape.h"

#include <emscripten/emscripten.h>

namespace dt {

namespace {

// Occlusion in the page slides its 5x5 patch by 2 pixels: 169 forward passes instead of up to
// 576 keep it to a fraction of a second in WebAssembly on the UI's thread.
constexpr OcclusionPatch kPagePatch{5, 2};

// While training, new weights come about once a second. Recomputing the map for each would
// take occlusion's ~50 ms from the cores the worker trains on (3% of keras-cnn's speed in
// `make bench`); a map is refreshed for new weights only once this many times its own cost
// has passed, so it keeps to 2% of the UI's thread. A new image, class or method is answered
// at once.
constexpr double kRefreshCostShare = 50;

}  // namespace

void why_panel(AppState& app, PanelTextures& tex) {
  InspectState& s = app.inspect;
  Shown::Why& shown = app.shown.why;
  shown = Shown::Why{};
  if (!ImGui::CollapsingHeader("Why this guess", ImGuiTreeNodeFlags_DefaultOpen)) return;
  if (!pad_has_guess(app)) {
    ImGui::TextDisabled(app.pad.empty() ? "Draw a digit (or click a mistake) to see which pixels made the guess."
                                        : "Train first: an untrained network has no reasons.");
    return;
  }
  const DatasetInfo& names = dataset_info(app.model_dataset);
  int method = s.method == AttributionMethod::occlusion ? 1 : 0;
  ImGui::RadioButton("gradient x input", &method, 0);
  note_item_rect(app, "Why: gradient");
  ImGui::SameLine();
  ImGui::RadioButton("occlusion", &method, 1);
  note_item_rect(app, "Why: occlusion");
  s.method = method == 1 ? AttributionMethod::occlusion : AttributionMethod::gradient_x_input;
  const int guess = app.prediction.digit;
  char current[64];
  if (s.why_class < 0) std::snprintf(current, sizeof current, "the guess (%s)", names.classes[guess]);
  else std::snprintf(current, sizeof current, "%s", names.classes[s.why_class]);
  if (ImGui::BeginCombo("class##why", current)) {
    if (ImGui::Selectable("the guess", s.why_class < 0)) s.why_class = -1;
    for (int k = 0; k < kClasses; ++k)
      if (ImGui::Selectable(names.classes[k], s.why_class == k)) s.why_class = k;
    ImGui::EndCombo();
  }
  note_item_rect(app, "Why: class");
  const int k = s.why_class < 0 ? guess : s.why_class;

  // Recomputed when the image, the method or the class change, and for new weights (at most
  // once per kRefreshCostShare times its cost while training).
  const unsigned key = (app.predicted_pad_version * 31u + static_cast<unsigned>(k)) * 2u + static_cast<unsigned>(method);
  const unsigned model = app.inference.version();
  const double now = emscripten_get_now();
  const bool weights_due = model != s.why_model && (app.state != RunState::training || now - s.why_at >= kRefreshCostShare * s.why_ms);
  if (key != s.why_key || weights_due) {
    s.why_key = key;
    s.why_model = model;
    Result<std::vector<float>> map = app.inference.attribution(k, s.method, kPagePatch);
    s.why_at = emscripten_get_now();
    s.why_ms = s.why_at - now;
    s.why_error = map ? "" : map.error();
    s.why_map = map ? *map : std::vector<float>();
    float extent = 1e-9f;
    for (float v : s.why_map) extent = std::max(extent, std::fabs(v));
    if (!s.why_map.empty()) tex.why_map.upload(s.why_map.data(), kDigitSide, kDigitSide, -extent, extent);
    tex.why_digit.upload(app.digit.data(), kDigitSide, kDigitSide, 0.0f, 1.0f);
  }
  if (!s.why_error.empty()) {
    text_wrapped("%s", s.why_error.c_str());
    return;
  }
  float extent = 1e-9f;
  for (float v : s.why_map) extent = std::max(extent, std::fabs(v));
  const float side = std::min(ImGui::GetContentRegionAvail().x * 0.5f, ImGui::GetFontSize() * 14);
  const ImVec2 p0 = ImGui::GetCursorScreenPos(), p1(p0.x + side, p0.y + side);
  ImGui::Dummy(ImVec2(side, side));
  ImDrawList* dl = ImGui::GetWindowDrawList();
  draw_image(dl, tex.why_digit, p0, p1, Colormap::ink);
  draw_image(dl, tex.why_map, p0, p1, Colormap::overlay);
  ImGui::SameLine();
  ImGui::BeginGroup();
  ImGui::PushTextWrapPos(0.0f);
  if (s.method == AttributionMethod::occlusion)
    text_wrapped("Red: hiding the 5x5 patches around a pixel lowers p(%s) (up to %.3g); blue: raises it.", names.classes[k], extent);
  else
    text_wrapped("Red: the pixel's ink adds to the evidence for %s (up to %.3g, pixel x d logit / d pixel); blue: takes from it.",
                       names.classes[k], extent);
  ImGui::TextDisabled("%.0f ms", s.why_ms);
  ImGui::PopTextWrapPos();
  ImGui::EndGroup();
  shown.method = attribution_method_name(s.method);
  shown.klass = k;
  shown.extent = extent;
  shown.map = s.why_map;
  shown.ms = s.why_ms;
}

}  // namespace dt
