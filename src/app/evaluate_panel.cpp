// Evaluate panel: the test set's confusion matrix as a heatmap (hover for a cell, click to see
// its images), per-class precision, recall and F1, accuracy and Cohen's kappa.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <initializer_list>
#include <string>
#include <vector>

#include "app/panels.h"
#include "app/word_wrap.h"
#include "data/dataset_info.h"
#include "util/digit_shape.h"

namespace dt {

namespace {

constexpr int kExamplesPerRow = 10, kMaxExamples = 40;

// Cell values in [0,1] for the heatmap: counts against the largest count, or each row's
// share of its true class.
std::vector<float> heat_values(const ConfusionMatrix& cm, bool row_normalised) {
  std::vector<float> v(100);
  long max_count = 1;
  for (int i = 0; i < 10; ++i)
    for (int j = 0; j < 10; ++j) max_count = std::max(max_count, cm.at(i, j));
  for (int i = 0; i < 10; ++i) {
    long row = 0;
    for (int j = 0; j < 10; ++j) row += cm.at(i, j);
    for (int j = 0; j < 10; ++j)
      v[i * 10 + j] = row_normalised ? (row ? static_cast<float>(cm.at(i, j)) / row : 0.0f)
                                     // sqrt: the off-diagonal cells stay visible next to ~1000 on the diagonal
                                     : std::sqrt(static_cast<float>(cm.at(i, j)) / max_count);
  }
  return v;
}

void heatmap_section(AppState& app, PanelTextures& tex, bool row_normalised, float side) {
  const ConfusionMatrix& cm = app.confusion;
  const unsigned key = static_cast<unsigned>(app.history.epoch.size()) * 2u + (row_normalised ? 1u : 0u);
  if (key != tex.confusion_key || !tex.confusion.valid()) {
    tex.confusion.upload(heat_values(cm, row_normalised).data(), 10, 10, 0.0f, 1.0f, /*nearest=*/true);
    tex.confusion_key = key;
  }
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const ImU32 dim = ImGui::GetColorU32(ImGuiCol_TextDisabled);
  const float font = ImGui::GetFontSize();
  // Axis names, then class numbers along both edges: rows are the true class, columns the
  // predicted one.
  const ImVec2 origin = ImGui::GetCursorScreenPos();
  const float label_w = ImGui::CalcTextSize("true 0").x + font * 0.4f;
  const ImVec2 p0(origin.x + label_w, origin.y + 2 * font);
  const float cell = side / 10;
  ImGui::Dummy(ImVec2(side + label_w, side + 2 * font));
  app.heatmap_rect[0] = p0.x;
  app.heatmap_rect[1] = p0.y;
  app.heatmap_rect[2] = app.heatmap_rect[3] = side;
  dl->AddText(ImVec2(p0.x, origin.y), dim, "predicted");
  dl->AddText(ImVec2(origin.x, origin.y + font), dim, "true");
  for (int k = 0; k < 10; ++k) {
    char d[4];
    std::snprintf(d, sizeof d, "%d", k);
    const ImVec2 ts = ImGui::CalcTextSize(d);
    dl->AddText(ImVec2(p0.x + k * cell + (cell - ts.x) / 2, origin.y + font), dim, d);
    dl->AddText(ImVec2(p0.x - ts.x - font * 0.4f, p0.y + k * cell + (cell - ts.y) / 2), dim, d);
  }
  draw_image(dl, tex.confusion, p0, ImVec2(p0.x + side, p0.y + side), Colormap::heat);
  for (int i = 0; i < 10; ++i)
    for (int j = 0; j < 10; ++j) {
      char text[16];
      if (row_normalised) {
        long row = 0;
        for (int c = 0; c < 10; ++c) row += cm.at(i, c);
        std::snprintf(text, sizeof text, "%.0f", row ? 100.0 * cm.at(i, j) / row : 0.0);
      } else {
        std::snprintf(text, sizeof text, "%ld", cm.at(i, j));
      }
      const ImVec2 ts = ImGui::CalcTextSize(text);
      if (ts.x > cell) continue;  // too small to read: hover shows it
      const ImVec2 c(p0.x + j * cell + (cell - ts.x) / 2, p0.y + i * cell + (cell - ts.y) / 2);
      dl->AddText(c, i == j ? IM_COL32(0, 0, 0, 255) : IM_COL32(255, 255, 255, 230), text);
    }
  if (app.selected_truth >= 0) {
    const ImVec2 s(p0.x + app.selected_predicted * cell, p0.y + app.selected_truth * cell);
    dl->AddRect(s, ImVec2(s.x + cell, s.y + cell), IM_COL32(255, 80, 80, 255), 0, 0, 2.0f);
  }
  const ImVec2 m = ImGui::GetIO().MousePos;
  if (ImGui::IsWindowHovered() && m.x >= p0.x && m.y >= p0.y && m.x < p0.x + side && m.y < p0.y + side) {
    const int j = static_cast<int>((m.x - p0.x) / cell), i = static_cast<int>((m.y - p0.y) / cell);
    long row = 0;
    for (int c = 0; c < 10; ++c) row += cm.at(i, c);
    const DatasetInfo& names = dataset_info(app.test.dataset);
    ImGui::SetTooltip("true %s, predicted %s: %ld images (%.1f%% of the %s class)", names.classes[i], names.classes[j], cm.at(i, j),
                      row ? 100.0 * cm.at(i, j) / row : 0.0, names.classes[i]);
    if (ImGui::IsMouseClicked(0)) {
      app.selected_truth = i;
      app.selected_predicted = j;
      app.mistakes.truth = i;  // the gallery shows this cell's mistakes (any, for a diagonal cell)
      app.mistakes.predicted = i == j ? -1 : j;
    }
  }
}

void scores_section(AppState& app) {
  const ConfusionMatrix& cm = app.confusion;
  const DatasetInfo& names = dataset_info(app.test.dataset);
  const bool classes_named = std::string(names.classes[0]) != "0";
  // Three scores on a line, or on as many lines as the width needs (never split inside a number).
  char scores[3][40];
  std::snprintf(scores[0], sizeof scores[0], "accuracy %.2f%%", 100 * cm.accuracy());
  std::snprintf(scores[1], sizeof scores[1], "macro F1 %.4f", cm.macro_f1());
  std::snprintf(scores[2], sizeof scores[2], "kappa %.4f", cm.cohen_kappa());
  const float right = ImGui::GetCursorPosX() + ImGui::GetContentRegionAvail().x;
  for (int i = 0; i < 3; ++i) {
    if (i > 0) {
      ImGui::SameLine(0, ImGui::CalcTextSize("   ").x);
      if (ImGui::GetCursorPosX() + ImGui::CalcTextSize(scores[i]).x > right) ImGui::NewLine();
    }
    ImGui::TextUnformatted(scores[i]);
  }
  // Four decimals where they fit; in a narrow window, percentages with one ("96.9"), which a
  // column of a fifth of the width still holds without wrapping.
  const ImGuiStyle& style = ImGui::GetStyle();
  const bool narrow = ImGui::GetContentRegionAvail().x / 5 < ImGui::CalcTextSize("0.0000").x + 2 * style.CellPadding.x + 2;
  const char* number = narrow ? "%.1f" : "%.4f";
  const float scale = narrow ? 100.0f : 1.0f;
  if (ImGui::BeginTable("scores", 5, ImGuiTableFlags_Borders | ImGuiTableFlags_SizingStretchSame)) {
    // Named classes ("Ankle boot") get the width they need; the numbers share the rest.
    ImGui::TableSetupColumn("class", classes_named ? ImGuiTableColumnFlags_WidthFixed : 0);
    for (const char* h : narrow ? std::initializer_list<const char*>{"prec %", "rec %", "F1 %", "n"}
                                : std::initializer_list<const char*>{"precision", "recall", "F1", "support"})
      ImGui::TableSetupColumn(h);
    ImGui::TableHeadersRow();
    app.shown.confusion_rows.clear();
    for (int k = 0; k < 10; ++k) {
      const ClassScores s = cm.scores(k);
      app.shown.confusion_rows.push_back(classes_named ? std::to_string(k) + " " + names.classes[k] : std::to_string(k));
      ImGui::TableNextRow();
      ImGui::TableNextColumn();
      ImGui::TextUnformatted(app.shown.confusion_rows.back().c_str());
      ImGui::TableNextColumn();
      ImGui::Text(number, scale * s.precision);
      ImGui::TableNextColumn();
      ImGui::Text(number, scale * s.recall);
      ImGui::TableNextColumn();
      ImGui::Text(number, scale * s.f1);
      ImGui::TableNextColumn();
      ImGui::Text("%ld", s.support);
    }
    ImGui::EndTable();
  }
}

// The test images behind the selected cell, as one atlas texture rebuilt when the cell or
// the evaluation changes.
void examples_section(AppState& app, PanelTextures& tex) {
  app.shown_examples = 0;
  if (app.selected_truth < 0) {
    ImGui::TextDisabled("Click a cell to see its test images.");
    return;
  }
  const TestSet& t = app.test;
  if (t.predicted.size() != static_cast<size_t>(t.count) || t.count == 0) {
    ImGui::TextDisabled("No per-image predictions yet.");
    return;
  }
  std::vector<int> hits;
  for (int n = 0; n < t.count && static_cast<int>(hits.size()) < kMaxExamples; ++n)
    if (t.labels[n] == app.selected_truth && t.predicted[n] == app.selected_predicted) hits.push_back(n);
  const DatasetInfo& names = dataset_info(t.dataset);
  text_wrapped("true %s, predicted %s: first %zu", names.classes[app.selected_truth], names.classes[app.selected_predicted],
                     hits.size());
  app.shown_examples = static_cast<int>(hits.size());
  if (hits.empty()) return;
  const int rows = (static_cast<int>(hits.size()) + kExamplesPerRow - 1) / kExamplesPerRow;
  const unsigned key = static_cast<unsigned>(app.selected_truth * 10 + app.selected_predicted) ^
                       (static_cast<unsigned>(app.history.epoch.size()) << 8);
  if (key != tex.examples_key) {
    constexpr int S = kDigitSide;
    std::vector<unsigned char> atlas(static_cast<size_t>(rows) * S * kExamplesPerRow * S, 0);
    for (size_t h = 0; h < hits.size(); ++h) {
      const int r = static_cast<int>(h) / kExamplesPerRow, c = static_cast<int>(h) % kExamplesPerRow;
      for (int y = 0; y < S; ++y)
        for (int x = 0; x < S; ++x)
          atlas[(static_cast<size_t>(r) * S + y) * kExamplesPerRow * S + c * S + x] = t.images[hits[h] * kDigitPixels + y * S + x];
    }
    tex.examples.upload_bytes(atlas.data(), rows * S, kExamplesPerRow * S);
    tex.examples_key = key;
  }
  const float w = ImGui::GetContentRegionAvail().x;
  const ImVec2 p0 = ImGui::GetCursorScreenPos();
  const float h = w * rows / kExamplesPerRow;
  ImGui::Dummy(ImVec2(w, h));
  draw_image(ImGui::GetWindowDrawList(), tex.examples, p0, ImVec2(p0.x + w, p0.y + h), Colormap::ink);
}

}  // namespace

void evaluate_panel(AppState& app, PanelTextures& tex) {
  if (!app.has_confusion) {
    app.shown.confusion_rows.clear();
    text_wrapped("The test-set evaluation appears here after each epoch.");
    return;
  }
  ImGui::Checkbox("row-normalised (%)", &app.row_normalised);
  const float avail = ImGui::GetContentRegionAvail().x;
  const bool side_by_side = avail > ImGui::GetFontSize() * 60;
  const float labels = ImGui::CalcTextSize("true 0").x + ImGui::GetFontSize();  // the row labels' column
  const float side = side_by_side ? avail * 0.5f : std::min(avail - labels, ImGui::GetFontSize() * 30);
  ImGui::BeginGroup();
  heatmap_section(app, tex, app.row_normalised, side);
  ImGui::EndGroup();
  if (side_by_side) ImGui::SameLine();
  ImGui::BeginGroup();
  scores_section(app);
  ImGui::EndGroup();
  examples_section(app, tex);
}

}  // namespace dt
