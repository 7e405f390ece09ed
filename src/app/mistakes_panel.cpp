// What the network gets wrong: every test image it misclassified in the latest evaluation,
// the most confidently wrong first (the probability it gave its wrong answer), each with its
// true and predicted class and, on hover, its three most probable classes. Filtered by true or
// predicted class (a click on a confusion cell sets both); a click on one puts it on the pad,
// where the guess, Inspect and the other views then show it.
#include <algorithm>
#include <cstdio>
#include <string>

#include "app/panels.h"
#include "app/word_wrap.h"
#include "data/dataset_info.h"
#include "imgui.h"
#include "util/digit_shape.h"

namespace dt {
namespace {

constexpr int kPerRow = 6;     // thumbnails per row (fewer in a narrow window)
constexpr int kPage = 30;      // shown at first, and added by "Show more"

// The test set's mistakes, the most confidently wrong first (ties: test order).
std::vector<int> rank_mistakes(const TestSet& t) {
  std::vector<int> wrong;
  for (int n = 0; n < t.count; ++n)
    if (t.predicted[n] != t.labels[n]) wrong.push_back(n);
  auto confidence = [&](int n) { return t.probabilities[static_cast<size_t>(n) * kClasses + t.predicted[n]]; };
  std::stable_sort(wrong.begin(), wrong.end(), [&](int a, int b) { return confidence(a) > confidence(b); });
  return wrong;
}

// The three most probable classes of test image n, most probable first.
std::array<int, 3> top3(const TestSet& t, int n) {
  const float* p = t.probabilities.data() + static_cast<size_t>(n) * kClasses;
  std::array<int, kClasses> order;
  for (int k = 0; k < kClasses; ++k) order[k] = k;
  std::partial_sort(order.begin(), order.begin() + 3, order.end(), [&](int a, int b) { return p[a] > p[b]; });
  return {order[0], order[1], order[2]};
}

// A class filter: "any" or one of the dataset's classes.
void class_filter(const char* label, int& value, const DatasetInfo& names) {
  char current[48];
  if (value < 0) std::snprintf(current, sizeof current, "any");
  else std::snprintf(current, sizeof current, "%d %s", value, value < 10 && std::string(names.classes[0]) != "0" ? names.classes[value] : "");
  if (!ImGui::BeginCombo(label, current)) return;
  if (ImGui::Selectable("any", value < 0)) value = -1;
  for (int k = 0; k < kClasses; ++k) {
    char item[48];
    std::snprintf(item, sizeof item, "%d %s", k, std::string(names.classes[0]) != "0" ? names.classes[k] : "");
    if (ImGui::Selectable(item, value == k)) value = k;
  }
  ImGui::EndCombo();
}

// The shown thumbnails as one atlas texture (kPerRow across), rebuilt when they change.
void upload_atlas(const AppState& app, PanelTextures& tex, unsigned key) {
  if (key == tex.mistakes_key) return;
  const std::vector<int>& shown = app.mistakes.shown;
  constexpr int S = kDigitSide;
  const int rows = std::max(1, (static_cast<int>(shown.size()) + kPerRow - 1) / kPerRow);
  std::vector<unsigned char> atlas(static_cast<size_t>(rows) * S * kPerRow * S, 0);
  for (size_t i = 0; i < shown.size(); ++i) {
    const int r = static_cast<int>(i) / kPerRow, c = static_cast<int>(i) % kPerRow;
    const uint8_t* image = app.test.images.data() + static_cast<size_t>(shown[i]) * kDigitPixels;
    for (int y = 0; y < S; ++y)
      std::copy(image + y * S, image + (y + 1) * S, atlas.begin() + (static_cast<size_t>(r) * S + y) * kPerRow * S + c * S);
  }
  tex.mistakes.upload_bytes(atlas.data(), rows * S, kPerRow * S);
  tex.mistakes_key = key;
}

}  // namespace

void mistakes_panel(AppState& app, PanelTextures& tex) {
  MistakesState& m = app.mistakes;
  const TestSet& t = app.test;
  m.shown.clear();
  m.cells.clear();
  m.matching = 0;
  const bool ready = t.count > 0 && t.predicted.size() == static_cast<size_t>(t.count) &&
                     t.probabilities.size() == static_cast<size_t>(t.count) * kClasses;
  if (ready && m.ranked_from != t.version) {
    m.ranked = rank_mistakes(t);
    m.ranked_from = t.version;
  }
  char title[48];
  std::snprintf(title, sizeof title, "Mistakes (%s)###mistakes", ready ? std::to_string(m.ranked.size()).c_str() : "-");
  const bool open = ImGui::CollapsingHeader(title, ImGuiTreeNodeFlags_DefaultOpen);
  note_item_rect(app, "Mistakes");
  if (!open) return;
  if (!ready) {
    text_wrapped("The test images the network gets wrong appear here after an epoch, the most confidently wrong first.");
    return;
  }
  const DatasetInfo& names = dataset_info(t.dataset);
  // The two class filters side by side, or one above the other where half the width would
  // not show a class's name.
  const float half = (ImGui::GetContentRegionAvail().x - ImGui::GetStyle().ItemSpacing.x) * 0.5f;
  const float beside = half - ImGui::CalcTextSize("predicted").x - ImGui::GetStyle().ItemInnerSpacing.x;
  const bool side_by_side = beside >= ImGui::GetFontSize() * 7;
  if (side_by_side) ImGui::PushItemWidth(beside);
  class_filter("true", m.truth, names);
  note_item_rect(app, "Mistakes: true");
  if (side_by_side) ImGui::SameLine();
  class_filter("predicted", m.predicted, names);
  note_item_rect(app, "Mistakes: predicted");
  if (side_by_side) ImGui::PopItemWidth();

  std::vector<int> matching;
  for (int n : m.ranked)
    if ((m.truth < 0 || t.labels[n] == m.truth) && (m.predicted < 0 || t.predicted[n] == m.predicted)) matching.push_back(n);
  m.matching = static_cast<int>(matching.size());
  m.shown.assign(matching.begin(), matching.begin() + std::min<size_t>(matching.size(), m.limit));
  text_wrapped("%d of %d test images wrong%s, the most confidently wrong first. Click one to put it on the pad.",
                     m.matching, t.count, m.truth >= 0 || m.predicted >= 0 ? " with these classes" : "");
  if (m.shown.empty()) return;

  // The thumbnails, each a button with its classes and confidence below it.
  unsigned key = t.version * 2654435761u;
  for (int n : m.shown) key = key * 31u + static_cast<unsigned>(n);
  upload_atlas(app, tex, key);
  // kPerRow across, or fewer in a narrow window: a thumbnail is never narrower than its label.
  const float w = ImGui::GetContentRegionAvail().x, gap = ImGui::GetStyle().ItemSpacing.x;
  const float label = ImGui::CalcTextSize("0 as 0").x;
  const int across = std::clamp(static_cast<int>((w + gap) / (label + gap)), 1, kPerRow);
  const float side = std::floor((w - gap * (across - 1)) / across);
  const int rows = (static_cast<int>(m.shown.size()) + kPerRow - 1) / kPerRow;  // the atlas's
  ImDrawList* dl = ImGui::GetWindowDrawList();
  for (size_t i = 0; i < m.shown.size(); ++i) {
    const int n = m.shown[i];
    const int r = static_cast<int>(i) / kPerRow, c = static_cast<int>(i) % kPerRow;  // in the atlas
    if (i % across > 0) ImGui::SameLine(0, gap);
    ImGui::BeginGroup();
    ImGui::PushID(n);
    const ImVec2 p0 = ImGui::GetCursorScreenPos();
    if (ImGui::InvisibleButton("mistake", ImVec2(side, side))) put_test_image_on_pad(app, n);
    const bool hovered = ImGui::IsItemHovered();
    m.cells.push_back({p0.x, p0.y, side, side});
    const ImVec2 uv0(static_cast<float>(c) / kPerRow, static_cast<float>(r) / rows);
    const ImVec2 uv1(static_cast<float>(c + 1) / kPerRow, static_cast<float>(r + 1) / rows);
    draw_image(dl, tex.mistakes, p0, ImVec2(p0.x + side, p0.y + side), Colormap::ink, uv0, uv1);
    const bool on_pad = pad_holds_test_image(app) && app.pad_test_index == n;
    if (on_pad || hovered)
      dl->AddRect(p0, ImVec2(p0.x + side, p0.y + side), on_pad ? IM_COL32(255, 217, 64, 255) : IM_COL32(160, 160, 200, 255), 0, 0,
                  2 * app.dpr);
    const float confidence = t.probabilities[static_cast<size_t>(n) * kClasses + t.predicted[n]];
    ImGui::Text("%d as %d", t.labels[n], t.predicted[n]);
    ImGui::TextDisabled("%.1f%%", 100 * confidence);
    ImGui::PopID();
    ImGui::EndGroup();
    if (hovered) {
      const std::array<int, 3> top = top3(t, n);
      const float* p = t.probabilities.data() + static_cast<size_t>(n) * kClasses;
      ImGui::SetTooltip("test image %d: true %s, predicted %s\n%s %.1f%%   %s %.1f%%   %s %.1f%%\nclick: put it on the pad", n,
                        names.classes[t.labels[n]], names.classes[t.predicted[n]], names.classes[top[0]], 100 * p[top[0]],
                        names.classes[top[1]], 100 * p[top[1]], names.classes[top[2]], 100 * p[top[2]]);
    }
  }
  if (m.matching > static_cast<int>(m.shown.size())) {
    char more[48];
    std::snprintf(more, sizeof more, "Show %d more", std::min(kPage, m.matching - static_cast<int>(m.shown.size())));
    if (ImGui::Button(more)) m.limit += kPage;
    note_item_rect(app, "Mistakes: more");
  }
}

}  // namespace dt
