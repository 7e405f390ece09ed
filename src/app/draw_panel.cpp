// Draw panel: the pad (mouse, touch or pen all arrive as ImGui's pointer), the 28x28 image
// the network sees, its guess and the ten probabilities.
#include <algorithm>
#include <cstdio>

#include "app/panels.h"
#include "data/dataset_info.h"

namespace dt {

namespace {

// The pen's radius as a fraction of the pad: strokes about as thick, relative to the digit,
// as MNIST's.
constexpr float kPenRadius = 0.035f;

void pad_section(AppState& app, PanelTextures& tex, float side) {
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const ImVec2 p0 = ImGui::GetCursorScreenPos();
  ImGui::InvisibleButton("pad", ImVec2(side, side));
  const ImVec2 p1(p0.x + side, p0.y + side);
  app.pad_rect[0] = p0.x;
  app.pad_rect[1] = p0.y;
  app.pad_rect[2] = side;
  app.pad_rect[3] = side;

  DrawPad& pad = app.pad;
  if (ImGui::IsItemActive()) {
    const ImGuiIO& io = ImGui::GetIO();
    const float k = pad.size() / side;
    const ImVec2 now((io.MousePos.x - p0.x) * k, (io.MousePos.y - p0.y) * k);
    // The first frame of a press draws a dot; later frames join the pointer's positions.
    const ImVec2 before = ImGui::IsItemActivated() ? now : ImVec2(now.x - io.MouseDelta.x * k, now.y - io.MouseDelta.y * k);
    pad.stroke(before.x, before.y, now.x, now.y, kPenRadius * pad.size());
  }
  if (!tex.pad.valid() || pad.version() != tex.pad_version) {
    tex.pad_version = pad.version();
    tex.pad.upload(pad.ink(), pad.size(), pad.size(), 0.0f, 1.0f, /*nearest=*/false);
  }
  draw_image(dl, tex.pad, p0, p1, Colormap::ink);
  dl->AddRect(p0, p1, ImGui::GetColorU32(ImGuiCol_Border));
  app.shown.pad_prompt = pad.empty() ? dataset_info(app.model_dataset).draw_prompt : "";
  if (pad.empty()) {
    const char* hint = dataset_info(app.model_dataset).draw_prompt;
    const ImVec2 ts = ImGui::CalcTextSize(hint);
    dl->AddText(ImVec2(p0.x + (side - ts.x) / 2, p0.y + (side - ts.y) / 2), ImGui::GetColorU32(ImGuiCol_TextDisabled), hint);
  }
}

// Fits in `height`: the 28x28 image on top, the guess, then ten bars sharing what is left.
void prediction_section(AppState& app, PanelTextures& tex, float height) {
  const float line = ImGui::GetTextLineHeightWithSpacing();
  // Bars need a text line each; the image takes what is left, within limits.
  const float side = std::clamp(height - 2.5f * line - 10 * ImGui::GetFontSize(), line * 2,
                                std::min(ImGui::GetContentRegionAvail().x * 0.6f, height * 0.4f));
  const unsigned key = app.predicted_pad_version * 31u + app.predicted_model_version;
  if (key != tex.digit_key || !tex.digit.valid()) {
    tex.digit.upload(app.digit.data(), kDigitSide, kDigitSide, 0.0f, 1.0f, /*nearest=*/true);
    tex.digit_key = key;
  }
  ImDrawList* dl = ImGui::GetWindowDrawList();
  ImGui::TextUnformatted("what the network sees");
  const ImVec2 p0 = ImGui::GetCursorScreenPos();
  ImGui::Dummy(ImVec2(side, side));
  draw_image(dl, tex.digit, p0, ImVec2(p0.x + side, p0.y + side), Colormap::ink);
  dl->AddRect(p0, ImVec2(p0.x + side, p0.y + side), ImGui::GetColorU32(ImGuiCol_Border));

  // An empty pad has no answer (the network's output for a blank image is not a guess), and
  // neither has a network that has not trained yet.
  const bool blank = app.pad.empty() || !app.inference.trained();
  const Prediction& p = app.prediction;
  const DatasetInfo& classes = dataset_info(app.model_dataset);
  char guess[64] = "-";
  if (!blank) std::snprintf(guess, sizeof guess, "%s (%.1f%%)", classes.classes[p.digit], 100 * p.probabilities[p.digit]);
  app.shown.guess = guess;
  app.shown.class_labels.assign(classes.classes.begin(), classes.classes.end());
  if (!app.inference.trained()) ImGui::TextDisabled("guess: - (train first)");
  else if (blank) ImGui::TextDisabled("guess: -");
  else ImGui::Text("guess: %s", guess);
  // The ten probabilities as bars, the guess highlighted.
  const float w = ImGui::GetContentRegionAvail().x;
  const float row = std::max(ImGui::GetFontSize() * 0.8f, (height - side - 2.5f * line) / 10);
  const ImVec2 b0 = ImGui::GetCursorScreenPos();
  ImGui::Dummy(ImVec2(w, row * 10));
  float label_w = 0;
  for (const char* name : classes.classes) label_w = std::max(label_w, ImGui::CalcTextSize(name).x);
  label_w += ImGui::GetFontSize() * 0.5f;
  for (int k = 0; k < 10; ++k) {
    const float y = b0.y + k * row;
    dl->AddText(ImVec2(b0.x, y), ImGui::GetColorU32(ImGuiCol_Text), classes.classes[k]);
    if (blank) continue;
    const float bar = (w - label_w) * std::clamp(p.probabilities[k], 0.0f, 1.0f);
    const ImU32 colour = k == p.digit ? IM_COL32(120, 220, 120, 255) : IM_COL32(90, 140, 220, 255);
    dl->AddRectFilled(ImVec2(b0.x + label_w, y + row * 0.15f), ImVec2(b0.x + label_w + std::max(1.0f, bar), y + row * 0.85f), colour);
  }
}

}  // namespace

void update_pad_prediction(AppState& app) {
  if (app.pad.version() == app.predicted_pad_version && app.inference.version() == app.predicted_model_version) return;
  app.digit = mnist_from_pad(app.pad.ink(), app.pad.size());
  app.prediction = app.inference.predict(app.digit.data());
  app.predicted_pad_version = app.pad.version();
  app.predicted_model_version = app.inference.version();
}

void draw_panel(AppState& app, PanelTextures& tex) {
  const float avail = ImGui::GetContentRegionAvail().x;
  const bool side_by_side = avail > ImGui::GetFontSize() * 24;
  const float height = ImGui::GetContentRegionAvail().y - ImGui::GetFrameHeightWithSpacing();
  // Square, as large as the window allows (phones: the full width).
  const float pad_side = side_by_side ? std::max(ImGui::GetFontSize() * 8, std::min(avail * 0.58f, height)) : avail;
  if (ImGui::Button("Clear")) app.pad.clear();
  ImGui::SameLine();
  ImGui::TextDisabled("mouse, touch or pen");
  pad_section(app, tex, pad_side);
  if (side_by_side) ImGui::SameLine();
  ImGui::BeginGroup();
  const float rest = side_by_side ? avail - pad_side - ImGui::GetStyle().ItemSpacing.x : avail;
  ImGui::PushItemWidth(rest);
  ImGui::BeginChild("prediction", ImVec2(rest, side_by_side ? pad_side : ImGui::GetFontSize() * 22), false, ImGuiWindowFlags_NoScrollbar);
  prediction_section(app, tex, side_by_side ? pad_side : ImGui::GetFontSize() * 22);
  ImGui::EndChild();
  ImGui::PopItemWidth();
  ImGui::EndGroup();
}

}  // namespace dt
