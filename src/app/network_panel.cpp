// The network editor: a collapsing section of the Train window. It starts from the preset's
// layers; each layer can change its type and parameters, move up or down, be copied or removed,
// and after every edit each layer shows its output shape and parameters, the network its
// totals, FLOPs per image and the time an epoch would take at the last run's measured speed.
// What makes a design unusable is said at the layer where it is, and Start stays disabled.
// The same layers are editable as the architecture JSON a saved model carries.
#include <algorithm>
#include <cstdio>
#include <optional>
#include <string>
#include <vector>

#include "app/network_draft.h"
#include "app/panels.h"
#include "app/word_wrap.h"
#include "nn/layer_registry.h"
#include "recipe/presets.h"
#include "util/format_duration.h"

namespace dt {

namespace {

const ImVec4 kErrorColour(1, 0.4f, 0.4f, 1);

// A layer's parameters as inputs on one line (wrapping when the window is narrow); `changed`
// when one was edited. Every field of every registered kind, by its own name.
class FieldEditor final : public FieldVisitor {
 public:
  FieldEditor(AppState& app, int layer) : app_(app), layer_(layer) {}
  bool changed = false;

  void whole(const char* key, int& value, std::optional<int> /*fallback*/) override {
    place(key, 70);
    int v = value;
    if (ImGui::InputInt(key, &v, 0, 0)) set(value, std::clamp(v, 1, kMaxWhole));
    note(key);
  }
  void number(const char* key, float& value, std::optional<float> /*fallback*/) override {
    place(key, 70);
    float v = value;
    if (ImGui::InputFloat(key, &v, 0, 0, "%g")) set(value, v);
    note(key);
  }
  void choice(const char* key, bool& value, const char* if_true, const char* if_false, bool /*fallback*/) override {
    place(key, 80);
    if (ImGui::BeginCombo(key, value ? if_true : if_false)) {
      if (ImGui::Selectable(if_false, !value)) set(value, false);
      if (ImGui::Selectable(if_true, value)) set(value, true);
      ImGui::EndCombo();
    }
    note(key);
  }

 private:
  template <class T>
  void set(T& field, T v) {
    if (field != v) changed = true;
    field = v;
  }
  // Beside the previous field when it fits, else on the next line.
  void place(const char* key, float width) {
    const float need = width + ImGui::GetStyle().ItemInnerSpacing.x + ImGui::CalcTextSize(key).x;
    if (!first_) {
      ImGui::SameLine();
      if (ImGui::GetContentRegionAvail().x < need) ImGui::NewLine();
    }
    first_ = false;
    ImGui::SetNextItemWidth(width);
  }
  void note(const char* key) { note_item_rect(app_, ("Network: layer " + std::to_string(layer_ + 1) + " " + key).c_str()); }

  AppState& app_;
  int layer_;
  bool first_ = true;
};

// The next item beside the last one if `width` still fits on the line, else on the next line.
void beside(float width) {
  ImGui::SameLine();
  if (ImGui::GetContentRegionAvail().x < width + ImGui::GetStyle().ItemSpacing.x) ImGui::NewLine();
}

float button_width(const char* label) { return ImGui::CalcTextSize(label).x + 2 * ImGui::GetStyle().FramePadding.x; }

std::string flops_text(double flops) {
  char text[32];
  if (flops >= 1e9) std::snprintf(text, sizeof text, "%.2f GFLOPs", flops / 1e9);
  else if (flops >= 1e6) std::snprintf(text, sizeof text, "%.2f MFLOPs", flops / 1e6);
  else std::snprintf(text, sizeof text, "%.0f kFLOPs", flops / 1e3);
  return text;
}

std::string count_text(long n) {
  std::string digits = std::to_string(n), out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

// The edit a row's buttons asked for, applied after the list is drawn.
struct RowEdit {
  enum Kind { none, up, down, copy, remove, retype } kind = none;
  int layer = -1;
  std::string type;
};

void layer_row(AppState& app, int i, ModelSpec& spec, RowEdit& edit) {
  const NetworkSummary& sum = app.network.summary;
  ImGui::PushID(i);
  const std::string name = "Network: layer " + std::to_string(i + 1);
  ImGui::Text("%2d", i + 1);
  ImGui::SameLine();
  ImGui::SetNextItemWidth(110);
  if (ImGui::BeginCombo("##type", spec.layers[i].kind())) {
    for (const std::string& kind : layer_registry().names())
      if (ImGui::Selectable(kind.c_str(), kind == spec.layers[i].kind())) edit = {RowEdit::retype, i, kind};
    ImGui::EndCombo();
  }
  note_item_rect(app, (name + " type").c_str());
  const int n = static_cast<int>(spec.layers.size());
  const float arrow = ImGui::GetFrameHeight();
  beside(arrow);
  ImGui::BeginDisabled(i == 0);
  if (ImGui::ArrowButton("##up", ImGuiDir_Up)) edit = {RowEdit::up, i, ""};
  ImGui::EndDisabled();
  note_item_rect(app, (name + " up").c_str());
  beside(arrow);
  ImGui::BeginDisabled(i + 1 == n);
  if (ImGui::ArrowButton("##down", ImGuiDir_Down)) edit = {RowEdit::down, i, ""};
  ImGui::EndDisabled();
  note_item_rect(app, (name + " down").c_str());
  beside(button_width("copy"));
  if (ImGui::SmallButton("copy")) edit = {RowEdit::copy, i, ""};
  note_item_rect(app, (name + " copy").c_str());
  beside(button_width("remove"));
  ImGui::BeginDisabled(n == 1);
  if (ImGui::SmallButton("remove")) edit = {RowEdit::remove, i, ""};
  ImGui::EndDisabled();
  note_item_rect(app, (name + " remove").c_str());
  if (i < static_cast<int>(sum.layers.size())) {  // its output shape and parameters, kept whole
    const LayerSummary& l = sum.layers[i];
    const std::string info = shape_text(l.out) + "  " + (l.params ? count_text(l.params) : "-");
    beside(ImGui::CalcTextSize(info.c_str()).x);
    ImGui::PushTextWrapPos(-1.0f);
    ImGui::TextDisabled("%s", info.c_str());
    ImGui::PopTextWrapPos();
  }
  // Its parameters, indented under it.
  ImGui::Indent(24);
  FieldEditor fields(app, i);
  spec.layers[i].fields(fields);
  ImGui::Unindent(24);
  if (fields.changed) edit = {RowEdit::none, i, "changed"};
  if (sum.error_layer == i) {
    ImGui::PushStyleColor(ImGuiCol_Text, kErrorColour);
    text_wrapped("layer %d: %s", i + 1, sum.error.c_str());
    ImGui::PopStyleColor();
  }
  ImGui::PopID();
}

void apply(AppState& app, ModelSpec spec, const RowEdit& e) {
  auto& layers = spec.layers;
  const int i = e.layer;
  switch (e.kind) {
    case RowEdit::up: std::swap(layers[i], layers[i - 1]); break;
    case RowEdit::down: std::swap(layers[i], layers[i + 1]); break;
    case RowEdit::copy: layers.insert(layers.begin() + i + 1, layers[i]); break;
    case RowEdit::remove: layers.erase(layers.begin() + i); break;
    case RowEdit::retype:
      if (Result<LayerSpec> made = layer_registry().make(e.type)) layers[i] = std::move(*made);
      break;
    case RowEdit::none: break;
  }
  set_network_draft(app, std::move(spec));
}

// The totals, the time an epoch would take at the measured speed, and a whole-network problem.
void totals(AppState& app) {
  const NetworkDraft& d = app.network;
  const NetworkSummary& s = d.summary;
  Shown::Network& shown = app.shown.network;
  text_wrapped("%s parameters, %s per image (forward)", count_text(s.params).c_str(), flops_text(s.flops).c_str());
  // The last run's speed in FLOPs per second (its samples/s times its network's FLOPs) gives
  // this network's time per epoch.
  const double rate = app.progress.samples_per_second * d.run_flops;
  const Preset& preset = presets()[std::clamp(app.settings.preset, 0, static_cast<int>(presets().size()) - 1)];
  const double samples = 60000.0 * (1.0 - preset.val_fraction);
  shown.epoch_estimate.clear();
  if (rate > 0 && s.ok()) {
    shown.epoch_estimate = "about " + format_duration(samples * s.flops / rate) + " per epoch at the last run's speed";
    text_wrapped("%s", shown.epoch_estimate.c_str());
  } else if (s.ok()) {
    ImGui::TextDisabled("time per epoch: after a run has measured this machine's speed");
  }
  if (!s.ok() && s.error_layer < 0) {
    ImGui::PushStyleColor(ImGuiCol_Text, kErrorColour);
    text_wrapped("%s", s.error.c_str());
    ImGui::PopStyleColor();
  }
}

void json_section(AppState& app) {
  NetworkDraft& d = app.network;
  if (!ImGui::TreeNode("as JSON")) return;
  ImGui::InputTextMultiline("##json", d.json.data(), d.json.size(), ImVec2(-1, ImGui::GetTextLineHeight() * 8));
  note_item_rect(app, "Network: JSON");
  if (ImGui::Button("Apply JSON")) apply_network_json(app);
  note_item_rect(app, "Network: apply JSON");
  if (!d.json_error.empty()) {
    ImGui::PushStyleColor(ImGuiCol_Text, kErrorColour);
    text_wrapped("%s", d.json_error.c_str());
    ImGui::PopStyleColor();
  }
  ImGui::TreePop();
}

}  // namespace

void network_panel(AppState& app) {
  sync_network_draft(app);
  NetworkDraft& d = app.network;
  Shown::Network& shown = app.shown.network;
  shown = Shown::Network{};
  for (const LayerSummary& l : d.summary.layers) shown.layers.push_back({l.name, shape_text(l.out), l.params});
  shown.params = d.summary.params;
  shown.flops = d.summary.flops;
  shown.edited = d.edited;
  shown.error = d.summary.error;
  shown.error_layer = d.summary.error_layer;

  // Short enough for the narrowest Train window: the totals are inside.
  const std::string title = "Network (" + (d.edited ? std::string("edited") : presets()[d.preset].name) + ")###Network";
  const bool open = ImGui::CollapsingHeader(title.c_str());
  note_item_rect(app, "Network");
  if (!open) return;
  shown.open = true;
  ImGui::BeginDisabled(run_busy(app.state));
  ModelSpec spec = d.spec;  // edited here, then made the draft
  RowEdit edit;
  for (int i = 0; i < static_cast<int>(spec.layers.size()); ++i) layer_row(app, i, spec, edit);
  if (edit.layer >= 0) apply(app, std::move(spec), edit);
  totals(app);
  ImGui::BeginDisabled(!d.edited);
  if (ImGui::Button("Back to the preset's layers")) set_network_draft(app, presets()[d.preset].model);
  note_item_rect(app, "Network: reset");
  ImGui::EndDisabled();
  json_section(app);
  ImGui::EndDisabled();
}

}  // namespace dt
