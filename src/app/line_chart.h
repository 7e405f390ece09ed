// A small multi-series line chart drawn with ImGui's draw list (ImGui's PlotLines shows one
// series only; train and validation curves belong on the same axes). Both axes have ticks
// and labels outside the plot, so no point ever sits on a label.
#pragma once
#include <vector>

#include "imgui.h"

namespace dt {

struct Series {
  const char* name;
  const std::vector<float>* x;  // in the series' own unit; x * x_scale is the chart's x
  const std::vector<float>* y;
  ImU32 colour;
  bool markers = false;  // per-epoch values are few: show them as dots on a line
  float x_scale = 1;
};

struct ChartAxes {
  const char* x_label;   // e.g. "epoch"
  float x_max;           // the x axis ends here at least (a run's planned length)
  float steps_per_x;     // > 0: the hover also says the step (x * steps_per_x)
  float y_min, y_max;
  bool y_percent;        // ticks as percentages
};

void line_chart(const char* id, const std::vector<Series>& series, const ChartAxes& axes, ImVec2 size);

// Tick positions: about `target` round values (1, 2, 2.5 or 5 times a power of ten) in [lo, hi].
std::vector<float> nice_ticks(float lo, float hi, int target);

}  // namespace dt
