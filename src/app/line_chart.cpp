#include "app/line_chart.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace dt {

std::vector<float> nice_ticks(float lo, float hi, int target) {
  std::vector<float> ticks;
  if (!(hi > lo) || target < 1) return ticks;
  const double raw = (hi - lo) / target, power = std::pow(10.0, std::floor(std::log10(raw)));
  double step = power;
  for (double m : {1.0, 2.0, 2.5, 5.0, 10.0})
    if (m * power >= raw) {
      step = m * power;
      break;
    }
  for (double t = std::ceil(lo / step - 1e-6) * step; t <= hi + step * 1e-6; t += step) ticks.push_back(static_cast<float>(t));
  return ticks;
}

namespace {

void format_tick(char* out, size_t n, float v, bool percent) {
  // + 0.0: a tick at -0.0001 reads "0", not "-0".
  if (percent) std::snprintf(out, n, "%g%%", std::round(v * 1000) / 10 + 0.0);
  else std::snprintf(out, n, "%g", std::round(v * 1000) / 1000 + 0.0);
}

// The point of a series nearest to x (in chart units), or -1.
long nearest(const Series& s, float x) {
  const size_t n = std::min(s.x->size(), s.y->size());
  long best = -1;
  float best_d = 0;
  for (size_t i = 0; i < n; ++i) {
    const float d = std::fabs((*s.x)[i] * s.x_scale - x);
    if (best < 0 || d < best_d) best = static_cast<long>(i), best_d = d;
  }
  return best;
}

}  // namespace

void line_chart(const char* id, const std::vector<Series>& series, const ChartAxes& axes, ImVec2 size) {
  ImGui::PushID(id);
  const float font = ImGui::GetFontSize();
  const ImU32 dim = ImGui::GetColorU32(ImGuiCol_TextDisabled);
  ImDrawList* dl = ImGui::GetWindowDrawList();

  // Legend above the plot, in as many lines as the names need within its width (several
  // compared runs do not fit in one).
  const ImVec2 legend = ImGui::GetCursorScreenPos();
  float legend_x = legend.x, legend_y = legend.y;
  for (const Series& s : series) {
    const float w = ImGui::CalcTextSize(s.name).x;
    if (legend_x > legend.x && legend_x + w > legend.x + size.x) {
      legend_x = legend.x;
      legend_y += font;
    }
    dl->AddText(ImVec2(legend_x, legend_y), s.colour, s.name);
    legend_x += w + font;
  }
  ImGui::Dummy(ImVec2(size.x, legend_y - legend.y + font));

  const ImVec2 p0 = ImGui::GetCursorScreenPos();
  ImGui::Dummy(size);  // not a button: a drag across the chart scrolls on phones
  const bool hovered = ImGui::IsItemHovered();

  // The plot: inside margins for the y tick labels (left) and the x ticks and label (below).
  const std::vector<float> y_ticks = nice_ticks(axes.y_min, axes.y_max, 4);
  char label[32];
  float y_label_w = 0;
  for (float t : y_ticks) {
    format_tick(label, sizeof label, t, axes.y_percent);
    y_label_w = std::max(y_label_w, ImGui::CalcTextSize(label).x);
  }
  const float gap = font * 0.4f;
  const ImVec2 a(p0.x + y_label_w + gap * 2, p0.y + gap);
  const ImVec2 b(p0.x + size.x - gap, p0.y + size.y - 2 * font - gap);
  if (b.x - a.x < font || b.y - a.y < font) {  // too small to draw anything readable
    ImGui::PopID();
    return;
  }
  dl->AddRectFilled(a, b, ImGui::GetColorU32(ImGuiCol_FrameBg));

  float x_max = std::max(axes.x_max, 1e-6f);
  for (const Series& s : series)
    if (!s.x->empty()) x_max = std::max(x_max, s.x->back() * s.x_scale);
  const float inset = font * 0.3f;  // markers at the ends stay inside the plot
  auto sx = [&](float x) { return a.x + inset + (b.x - a.x - 2 * inset) * (x / x_max); };
  // Not clamped: a value below the axis leaves the plot (clipped) rather than drawing a false
  // flat line along its floor.
  auto sy = [&](float y) { return b.y - inset - (b.y - a.y - 2 * inset) * ((y - axes.y_min) / (axes.y_max - axes.y_min)); };

  // Y ticks: grid lines across the plot, labels to its left.
  for (float t : y_ticks) {
    const float y = sy(t);
    dl->AddLine(ImVec2(a.x, y), ImVec2(b.x, y), ImGui::GetColorU32(ImGuiCol_Border));
    format_tick(label, sizeof label, t, axes.y_percent);
    const ImVec2 ts = ImGui::CalcTextSize(label);
    dl->AddText(ImVec2(a.x - gap - ts.x, y - ts.y / 2), dim, label);
  }
  // X ticks: whole epochs (quarters within the first), labels below, then the axis name.
  const std::vector<float> x_ticks = nice_ticks(0, x_max, std::max(2, std::min(8, static_cast<int>((b.x - a.x) / (font * 4)))));
  for (float t : x_ticks) {
    const float x = sx(t);
    dl->AddLine(ImVec2(x, b.y), ImVec2(x, b.y + gap), dim);
    format_tick(label, sizeof label, t, false);
    const ImVec2 ts = ImGui::CalcTextSize(label);
    dl->AddText(ImVec2(std::clamp(x - ts.x / 2, a.x - gap, b.x - ts.x), b.y + gap), dim, label);
  }
  const ImVec2 xl = ImGui::CalcTextSize(axes.x_label);
  dl->AddText(ImVec2((a.x + b.x - xl.x) / 2, b.y + gap + font), dim, axes.x_label);

  dl->PushClipRect(a, b, true);
  const float thickness = std::max(1.0f, font / 12.0f);
  for (const Series& s : series) {
    const size_t n = std::min(s.x->size(), s.y->size());
    // At most ~2 points per pixel column: long histories stay cheap to draw.
    const size_t stride = std::max<size_t>(1, n / static_cast<size_t>(std::max(1.0f, (b.x - a.x) * 2)));
    ImVec2 prev;
    for (size_t i = 0; i < n; i += stride) {
      const ImVec2 p(sx((*s.x)[i] * s.x_scale), sy((*s.y)[i]));
      if (i > 0) dl->AddLine(prev, p, s.colour, thickness);
      if (s.markers) dl->AddCircleFilled(p, thickness * 2.5f, s.colour);
      prev = p;
    }
    if (n > 0 && (n - 1) % stride != 0) dl->AddLine(prev, ImVec2(sx(s.x->back() * s.x_scale), sy(s.y->back())), s.colour, thickness);
  }
  dl->PopClipRect();

  if (hovered) {
    const float mx = ImGui::GetIO().MousePos.x;
    if (mx >= a.x && mx <= b.x) {
      const float x = std::clamp((mx - a.x - inset) / (b.x - a.x - 2 * inset), 0.0f, 1.0f) * x_max;
      dl->AddLine(ImVec2(mx, a.y), ImVec2(mx, b.y), dim);
      ImGui::BeginTooltip();
      if (axes.steps_per_x > 0) ImGui::Text("%s %.2f  (step %.0f)", axes.x_label, x, std::round(x * axes.steps_per_x));
      else ImGui::Text("%s %.2f", axes.x_label, x);
      for (const Series& s : series) {
        const long i = nearest(s, x);
        if (i < 0) continue;
        if (axes.y_percent) ImGui::Text("%s: %.2f%% at %s %.2f", s.name, 100 * (*s.y)[i], axes.x_label, (*s.x)[i] * s.x_scale);
        else ImGui::Text("%s: %.4f at %s %.2f", s.name, (*s.y)[i], axes.x_label, (*s.x)[i] * s.x_scale);
      }
      ImGui::EndTooltip();
    }
  }
  ImGui::PopID();
}

}  // namespace dt
