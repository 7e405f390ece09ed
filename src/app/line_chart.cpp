#include "app/line_chart.h"

#include <algorithm>
#include <cstdio>

namespace dt {

void line_chart(const char* id, const std::vector<Series>& series, float y_min, float y_max, ImVec2 size) {
  ImGui::PushID(id);
  const ImVec2 p0 = ImGui::GetCursorScreenPos();
  ImGui::Dummy(size);  // not a button: a drag across the chart scrolls on phones
  const ImVec2 p1(p0.x + size.x, p0.y + size.y);
  ImDrawList* dl = ImGui::GetWindowDrawList();
  dl->AddRectFilled(p0, p1, ImGui::GetColorU32(ImGuiCol_FrameBg));

  float x_max = 1;
  for (const Series& s : series)
    if (!s.x->empty()) x_max = std::max(x_max, s.x->back());
  const float pad = ImGui::GetFontSize() * 0.3f;
  auto to_screen = [&](float x, float y) {
    const float t = std::clamp((y - y_min) / (y_max - y_min), 0.0f, 1.0f);
    return ImVec2(p0.x + pad + (size.x - 2 * pad) * (x / x_max), p1.y - pad - (size.y - 2 * pad) * t);
  };
  for (int g = 1; g < 4; ++g) {  // quarter grid lines
    const float y = p0.y + size.y * g / 4.0f;
    dl->AddLine(ImVec2(p0.x, y), ImVec2(p1.x, y), ImGui::GetColorU32(ImGuiCol_Border));
  }
  const float thickness = std::max(1.0f, ImGui::GetFontSize() / 12.0f);
  float legend_x = p0.x + pad;
  for (const Series& s : series) {
    const size_t n = std::min(s.x->size(), s.y->size());
    // At most ~2 points per pixel column: long histories stay cheap to draw.
    const size_t stride = std::max<size_t>(1, n / static_cast<size_t>(std::max(1.0f, size.x * 2)));
    ImVec2 prev;
    for (size_t i = 0; i < n; i += stride) {
      const ImVec2 p = to_screen((*s.x)[i], (*s.y)[i]);
      if (i > 0) dl->AddLine(prev, p, s.colour, thickness);
      if (s.markers) dl->AddCircleFilled(p, thickness * 2.5f, s.colour);
      prev = p;
    }
    if (n > 0 && s.markers == false && (n - 1) % stride != 0) dl->AddLine(prev, to_screen(s.x->back(), s.y->back()), s.colour, thickness);
    dl->AddText(ImVec2(legend_x, p0.y + pad), s.colour, s.name);
    legend_x += ImGui::CalcTextSize(s.name).x + ImGui::GetFontSize();
  }
  char label[32];
  std::snprintf(label, sizeof label, "%.3g", y_max);
  dl->AddText(ImVec2(p1.x - ImGui::CalcTextSize(label).x - pad, p0.y + pad), ImGui::GetColorU32(ImGuiCol_TextDisabled), label);
  std::snprintf(label, sizeof label, "%.3g", y_min);
  dl->AddText(ImVec2(p1.x - ImGui::CalcTextSize(label).x - pad, p1.y - ImGui::GetFontSize() - pad),
              ImGui::GetColorU32(ImGuiCol_TextDisabled), label);
  if (ImGui::IsItemHovered()) {
    const float x = (ImGui::GetIO().MousePos.x - p0.x - pad) / (size.x - 2 * pad) * x_max;
    ImGui::BeginTooltip();
    ImGui::Text("step %.0f", x);
    for (const Series& s : series) {
      const auto it = std::lower_bound(s.x->begin(), s.x->end(), x);
      if (it != s.x->end()) ImGui::Text("%s: %.4f", s.name, (*s.y)[it - s.x->begin()]);
    }
    ImGui::EndTooltip();
  }
  ImGui::PopID();
}

}  // namespace dt
