// A small multi-series line chart drawn with ImGui's draw list (ImGui's PlotLines shows one
// series only; train and validation curves belong on the same axes).
#pragma once
#include <vector>

#include "imgui.h"

namespace dt {

struct Series {
  const char* name;
  const std::vector<float>* x;
  const std::vector<float>* y;
  ImU32 colour;
  bool markers = false;  // per-epoch values are few: show them as dots
};

void line_chart(const char* id, const std::vector<Series>& series, float y_min, float y_max, ImVec2 size);

}  // namespace dt
