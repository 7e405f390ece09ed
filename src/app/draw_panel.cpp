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
  note_item_rect(app, "Pad");
  const ImVec2 p1(p0.x + side, p0.y + side);
  app.pad_rect[0] = p0.x;
  app.pad_rect[1] = p0.y;
  app.pad_rect[2] = side;
  app.pad_rect[3] = side;

  DrawPad& pad = app.pad;
  app.pad_stroke = ImGui::IsItemActive();
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
  const float line = ImGui::GetTextLineHeightWithSpacing(), font = ImGui::GetFontSize();
  const float spacing = ImGui::GetStyle().ItemSpacing.y;
  const unsigned key = app.predicted_pad_version * 31u + app.predicted_model_version;
  if (key != tex.digit_key || !tex.digit.valid()) {
    tex.digit.upload(app.digit.data(), kDigitSide, kDigitSide, 0.0f, 1.0f, /*nearest=*/true);
    tex.digit_key = key;
  }
  ImDrawList* dl = ImGui::GetWindowDrawList();
  ImGui::TextUnformatted("what the network sees");
  // Below the heading (one or two lines, as the width allows): the image, the guess's line and
  // ten bars a text line each; the image takes what the bars leave, within limits.
  const float left = ImGui::GetContentRegionAvail().y - (app.predicted_int8 ? 2 : 1) * line - 2 * spacing;
  const float side = std::max(line, std::min({left - 10 * font, ImGui::GetContentRegionAvail().x * 0.6f, height * 0.4f}));
  const ImVec2 p0 = ImGui::GetCursorScreenPos();
  ImGui::Dummy(ImVec2(side, side));
  draw_image(dl, tex.digit, p0, ImVec2(p0.x + side, p0.y + side), Colormap::ink);
  dl->AddRect(p0, ImVec2(p0.x + side, p0.y + side), ImGui::GetColorU32(ImGuiCol_Border));

  const bool blank = !pad_has_guess(app);
  const Prediction& p = app.prediction;
  const DatasetInfo& classes = dataset_info(app.model_dataset);
  char guess[64] = "-";
  if (!blank) std::snprintf(guess, sizeof guess, "%s (%.1f%%)", classes.classes[p.digit], 100 * p.probabilities[p.digit]);
  app.shown.guess = guess;
  app.shown.class_labels.assign(classes.classes.begin(), classes.classes.end());
  if (!app.inference.trained()) ImGui::TextDisabled("guess: - (train first)");
  else if (blank) ImGui::TextDisabled("guess: -");
  else ImGui::Text("guess: %s", guess);
  // The int8 model's answer beside the float one's, and its probabilities as ticks on the bars.
  const bool int8 = !blank && app.predicted_int8;
  const Prediction& q = app.int8_prediction;
  app.shown.int8_guess.clear();
  if (int8) {
    char text[64];
    std::snprintf(text, sizeof text, "%s (%.1f%%)", classes.classes[q.digit], 100 * q.probabilities[q.digit]);
    app.shown.int8_guess = text;
    ImGui::Text("int8: %s", text);
  }
  // The ten probabilities as bars, the guess highlighted.
  const float w = ImGui::GetContentRegionAvail().x;
  const float row = std::max(font * 0.8f, (ImGui::GetContentRegionAvail().y - spacing) / 10);
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
    if (int8 && q.probabilities[k] >= 0.005f) {  // a tick at 0 would only draw a line down the labels
      const float x = b0.x + label_w + (w - label_w) * std::clamp(q.probabilities[k], 0.0f, 1.0f);
      dl->AddLine(ImVec2(x, y), ImVec2(x, y + row), IM_COL32(255, 200, 80, 255), 2.0f);
    }
  }
}

}  // namespace

void put_test_image_on_pad(AppState& app, int index) {
  if (index < 0 || index >= app.test.count) return;
  float pixels[kDigitPixels];
  const uint8_t* image = app.test.images.data() + static_cast<size_t>(index) * kDigitPixels;
  for (int i = 0; i < kDigitPixels; ++i) pixels[i] = image[i] / 255.0f;
  app.pad.paint_image(pixels, kDigitSide);
  app.pad_test_index = index;
  app.pad_test_version = app.pad.version();
}

void update_pad_prediction(AppState& app) {
  if (app.pad.version() == app.predicted_pad_version && app.inference.version() == app.predicted_model_version &&
      app.inference.has_int8() == app.predicted_int8)
    return;
  if (pad_holds_test_image(app)) {
    const uint8_t* image = app.test.images.data() + static_cast<size_t>(app.pad_test_index) * kDigitPixels;
    for (int i = 0; i < kDigitPixels; ++i) app.digit[i] = image[i] / 255.0f;
  } else {
    app.digit = mnist_from_pad(app.pad.ink(), app.pad.size());
  }
  app.prediction = app.inference.predict(app.digit.data());
  app.predicted_int8 = app.inference.has_int8();
  if (app.predicted_int8) app.int8_prediction = app.inference.predict_int8();
  app.predicted_pad_version = app.pad.version();
  app.predicted_model_version = app.inference.version();
}

// Sizes: the guess beside the pad needs about kGuessWidth font sizes across (its longest
// line, "guess: 0  (100.0%)"); below the pad, kGuessHeight font sizes down.
constexpr float kGuessWidth = 10.5f, kGuessHeight = 22.0f;

void draw_panel(AppState& app, PanelTextures& tex) {
  const float font = ImGui::GetFontSize(), gap = ImGui::GetStyle().ItemSpacing.x;
  const float avail = ImGui::GetContentRegionAvail().x;
  if (ImGui::Button("Clear")) app.pad.clear();
  note_item_rect(app, "Clear");
  ImGui::SameLine();
  if (pad_holds_test_image(app)) {
    const DatasetInfo& names = dataset_info(app.test.dataset);
    ImGui::TextDisabled("test image %d, true class %s", app.pad_test_index, names.classes[app.test.labels[app.pad_test_index]]);
  } else {
    ImGui::TextDisabled("mouse, touch or pen");
  }
  // In a window of its own the pad and its guess fit the window's height; in the phone's one
  // scrolling column, its width. The guess sits beside the pad when it leaves the pad larger
  // than below it (or, on a phone, when there is room: the guess stays in view while drawing).
  const float height = app.one_column ? avail : ImGui::GetContentRegionAvail().y;
  const float beside = std::min(avail - gap - font * kGuessWidth, height);
  const float below = std::min(avail, height - font * kGuessHeight);
  const bool side_by_side = app.one_column ? beside >= font * 12 : beside >= below;
  const float pad_side = std::max(font * 6, side_by_side ? beside : below);
  const ImVec2 region0 = ImGui::GetCursorScreenPos();
  pad_section(app, tex, pad_side);
  if (side_by_side) ImGui::SameLine();
  const float rest = side_by_side ? avail - pad_side - gap : avail;
  // Beside the pad the guess takes the pad's height, or a little more when the pad is small.
  const float guess_h = side_by_side ? std::max(pad_side, font * 15) : font * kGuessHeight;
  ImGui::BeginChild("prediction", ImVec2(rest, guess_h), false, ImGuiWindowFlags_NoScrollbar | ImGuiWindowFlags_NoNav);
  ImGui::PushTextWrapPos(0.0f);
  ImGui::PushItemWidth(rest);
  prediction_section(app, tex, guess_h);
  ImGui::PopItemWidth();
  ImGui::PopTextWrapPos();
  ImGui::EndChild();
  // All a stroke changes: the pad and the guess (main.cpp redraws only this during strokes).
  const ImVec2 region1 = ImGui::GetItemRectMax();
  app.draw_region[0] = region0.x;
  app.draw_region[1] = region0.y;
  app.draw_region[2] = std::max(region1.x, region0.x + pad_side) - region0.x;
  app.draw_region[3] = std::max(region1.y, region0.y + pad_side) - region0.y;
}

}  // namespace dt
