// Runs panel: the past runs kept in the browser (web/run_history.js: the latest 10), newest
// first. Each can be reopened (its weights become the pad's model, its settings, metrics and
// curves show, and Continue trains on from it), deleted, or ticked for comparison: two or more
// ticked runs have their curves overlaid on the same axes, one colour each, against epochs
// (runs with different batch sizes take different numbers of steps), and their settings and
// metrics side by side in a table, like a small TensorBoard.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "app/commands.h"
#include "app/line_chart.h"
#include "app/panels.h"
#include "app/word_wrap.h"
#include "recipe/presets.h"
#include "util/format_duration.h"

namespace dt {

namespace {

// Distinct on the dark background, in the order runs are ticked.
constexpr ImU32 kCompareColours[] = {
    IM_COL32(90, 170, 255, 255), IM_COL32(255, 160, 60, 255), IM_COL32(120, 220, 120, 255), IM_COL32(240, 90, 110, 255),
    IM_COL32(190, 140, 255, 255), IM_COL32(240, 220, 80, 255), IM_COL32(80, 220, 220, 255), IM_COL32(255, 130, 210, 255),
    IM_COL32(180, 180, 180, 255), IM_COL32(170, 110, 60, 255),
};
constexpr int kColours = sizeof kCompareColours / sizeof kCompareColours[0];

void store_rect(float out[4], ImVec2 min, ImVec2 max) {
  out[0] = min.x;
  out[1] = min.y;
  out[2] = max.x - min.x;
  out[3] = max.y - min.y;
}
void store_item_rect(float out[4]) { store_rect(out, ImGui::GetItemRectMin(), ImGui::GetItemRectMax()); }

// When the run started, in the browser's time zone: "30 Nov 14:03:27".
std::string start_time(int64_t id_ms) {
  const std::time_t t = static_cast<std::time_t>(id_ms / 1000);
  char text[32] = "?";
  if (const std::tm* tm = std::localtime(&t)) std::strftime(text, sizeof text, "%d %b %H:%M:%S", tm);
  return text;
}

std::string label(const PastRun& r) { return r.preset + " " + start_time(r.id); }

std::string percent(double fraction) {
  if (fraction < 0) return "-";
  char text[16];
  std::snprintf(text, sizeof text, "%.2f%%", 100 * fraction);
  return text;
}

std::string metrics_line(const PastRun& r) {
  char text[160];
  std::snprintf(text, sizeof text, "%s · test %s · %d/%d epoch%s · %s · %.0f samples/s", r.ended.c_str(),
                percent(r.test_accuracy).c_str(), r.epochs_done, r.epochs, r.epochs == 1 ? "" : "s",
                format_duration(r.seconds).c_str(), r.samples_per_second);
  return text;
}

std::string settings_line(const PastRun& r) {
  char text[160];
  std::snprintf(text, sizeof text, "%s · %s lr %.3g · batch %d%s", r.dataset.c_str(), r.optimizer.c_str(), r.lr, r.batch,
                r.augment ? " · augmented" : "");
  return text;
}

int compare_slot(const RunsPanelState& ui, int64_t id) {
  const auto it = std::find(ui.compared.begin(), ui.compared.end(), id);
  return it == ui.compared.end() ? -1 : static_cast<int>(it - ui.compared.begin());
}

// One run: tick box, what and when, Open and Delete on the right; its metrics below.
void run_row(AppState& app, const PastRun& r) {
  RunsPanelState& ui = app.runs_panel;
  RunsPanelState::Row layout{r.id, {}, {}, {}, {}};
  const ImGuiStyle& style = ImGui::GetStyle();
  ImGui::PushID(std::to_string(r.id).c_str());
  const ImVec2 row_min = ImGui::GetCursorScreenPos();
  const float right = row_min.x + ImGui::GetContentRegionAvail().x;

  int slot = compare_slot(ui, r.id);
  bool ticked = slot >= 0;
  if (ticked) ImGui::PushStyleColor(ImGuiCol_CheckMark, ImGui::ColorConvertU32ToFloat4(kCompareColours[slot % kColours]));
  if (ImGui::Checkbox("##compare", &ticked)) {
    if (ticked) ui.compared.push_back(r.id);
    else ui.compared.erase(ui.compared.begin() + slot);
  }
  if (slot >= 0) ImGui::PopStyleColor();
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("compare: tick two or more runs");
  store_item_rect(layout.compare);
  ImGui::SameLine();
  const bool shown = r.id == app.shown_run;
  if (shown) ImGui::TextColored(ImVec4(1, 0.85f, 0.4f, 1), "%s (on screen)", label(r).c_str());
  else ImGui::TextUnformatted(label(r).c_str());

  // Open and Delete, right-aligned on the same line, or on the next when the label leaves no
  // room for them (an 800-pixel-wide window's Evaluate column).
  const float open_w = ImGui::CalcTextSize("Open").x + style.FramePadding.x * 2;
  const float delete_w = ImGui::CalcTextSize("Delete").x + style.FramePadding.x * 2;
  ImGui::SameLine();
  const float buttons_x = ImGui::GetWindowContentRegionMax().x - open_w - delete_w - style.ItemSpacing.x;
  if (ImGui::GetCursorPosX() > buttons_x) ImGui::NewLine();
  if (buttons_x > ImGui::GetCursorPosX()) ImGui::SetCursorPosX(buttons_x);
  ImGui::BeginDisabled(run_busy(app.state));
  if (ImGui::Button("Open")) send_command(commands::reopen(r.id));
  ImGui::EndDisabled();
  if (ImGui::IsItemHovered(ImGuiHoveredFlags_AllowWhenDisabled))
    ImGui::SetTooltip("%s", run_busy(app.state) ? "stop the run first"
                            : r.has_weights ? "show this run: its model on the pad, its settings and curves"
                                            : "show this run's settings and curves (its weights were too large to keep)");
  store_item_rect(layout.open);
  ImGui::SameLine();
  if (ImGui::Button("Delete")) send_command(commands::forget(r.id));
  store_item_rect(layout.forget);

  // Wrapped: the Evaluate column and a phone are narrower than these lines.
  ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled));
  text_wrapped("%s", metrics_line(r).c_str());
  text_wrapped("%s", settings_line(r).c_str());
  ImGui::PopStyleColor();
  const ImVec2 row_max(right, ImGui::GetItemRectMax().y);
  store_rect(layout.row, row_min, row_max);
  if (shown)
    ImGui::GetWindowDrawList()->AddRect(ImVec2(row_min.x - 2, row_min.y - 2), ImVec2(row_max.x + 2, row_max.y + 2),
                                        IM_COL32(255, 215, 100, 120));
  ImGui::PopID();
  ui.rows.push_back(layout);
}

// The compared runs, in the order they were ticked, each with its colour and legend name.
struct Compared {
  std::string name;
  ImU32 colour;
  const PastRun* run;
};

void compare_section(AppState& app) {
  const RunsPanelState& ui = app.runs_panel;
  std::vector<Compared> compared;
  for (size_t k = 0; k < ui.compared.size(); ++k)
    for (const PastRun& r : app.past_runs)
      if (r.id == ui.compared[k]) compared.push_back({label(r), kCompareColours[k % kColours], &r});
  if (compared.size() < 2) {
    ImGui::TextDisabled("Tick two or more runs to compare them.");
    return;
  }
  ImGui::Separator();
  ImGui::Text("Comparing %zu runs", compared.size());
  const float w = ImGui::GetContentRegionAvail().x, chart_h = ImGui::GetFontSize() * 9;
  // Against epochs: each run's steps are scaled by its own steps per epoch (batch sizes differ).
  std::vector<Series> loss, accuracy;
  float loss_max = 0.5f, acc_min = 0.9f, epochs = 1;
  for (const Compared& c : compared) {
    const History& h = c.run->curves;
    const float per_step = 1.0f / static_cast<float>(std::max(1L, c.run->steps_per_epoch));
    loss.push_back({c.name.c_str(), &h.step, &h.loss, c.colour, false, per_step});
    accuracy.push_back({c.name.c_str(), &h.step, &h.accuracy, c.colour, false, per_step});
    accuracy.push_back({"test", &h.epoch, &h.test_accuracy, c.colour, true});
    for (float v : h.loss) loss_max = std::max(loss_max, v);
    for (size_t i = h.accuracy.size() / 4; i < h.accuracy.size(); ++i) acc_min = std::min(acc_min, h.accuracy[i]);
    for (float v : h.test_accuracy) acc_min = std::min(acc_min, v);
    epochs = std::max(epochs, static_cast<float>(c.run->epochs));
  }
  acc_min = std::floor(acc_min * 10) / 10;
  ImGui::TextUnformatted("training loss (running mean)");
  line_chart("compare-loss", loss, {"epoch", epochs, 0, 0.0f, std::min(loss_max, 3.0f), false}, ImVec2(w, chart_h));
  ImGui::TextUnformatted("training accuracy (lines), test accuracy (dots)");
  line_chart("compare-accuracy", accuracy, {"epoch", epochs, 0, acc_min, 1.0f, true}, ImVec2(w, chart_h));

  // Settings and metrics side by side: one column per run, scrolling sideways when many.
  const int columns = static_cast<int>(compared.size()) + 1;
  const ImGuiTableFlags flags = ImGuiTableFlags_Borders | ImGuiTableFlags_ScrollX | ImGuiTableFlags_SizingFixedFit;
  const float height = ImGui::GetTextLineHeightWithSpacing() * 14 + ImGui::GetStyle().ScrollbarSize;
  if (!ImGui::BeginTable("compare-table", columns, flags, ImVec2(w, height))) return;
  ImGui::TableSetupScrollFreeze(1, 1);
  ImGui::TableSetupColumn("");
  for (const Compared& c : compared) ImGui::TableSetupColumn(c.name.c_str());
  ImGui::TableNextRow();  // not a headers row: its names size the columns, as other rows do
  ImGui::TableNextColumn();
  for (const Compared& c : compared) {
    ImGui::TableNextColumn();
    ImGui::TextColored(ImGui::ColorConvertU32ToFloat4(c.colour), "%s", c.name.c_str());
  }
  auto row = [&](const char* name, auto cell) {
    ImGui::TableNextRow();
    ImGui::TableNextColumn();
    ImGui::TextUnformatted(name);
    for (const Compared& c : compared) {
      ImGui::TableNextColumn();
      ImGui::TextUnformatted(cell(*c.run).c_str());
    }
  };
  auto number = [](const char* format, double v) {
    char text[32];
    std::snprintf(text, sizeof text, format, v);
    return std::string(text);
  };
  row("test accuracy", [](const PastRun& r) { return percent(r.test_accuracy); });
  row("epochs", [](const PastRun& r) { return std::to_string(r.epochs_done) + "/" + std::to_string(r.epochs); });
  row("time", [](const PastRun& r) { return format_duration(r.seconds); });
  row("samples/s", [&](const PastRun& r) { return number("%.0f", r.samples_per_second); });
  row("ended", [](const PastRun& r) { return r.ended; });
  row("dataset", [](const PastRun& r) { return r.dataset; });
  row("preset", [](const PastRun& r) { return r.preset; });
  row("optimiser", [](const PastRun& r) { return r.optimizer; });
  row("learning rate", [&](const PastRun& r) { return number("%.3g", r.lr); });
  row("batch", [](const PastRun& r) { return std::to_string(r.batch); });
  row("augment", [](const PastRun& r) { return std::string(r.augment ? "yes" : "no"); });
  row("weights kept", [&](const PastRun& r) {
    return r.has_weights ? number("yes, %.2f MB", r.weights_size / 1e6) : number("no (%.1f MB)", r.weights_size / 1e6);
  });
  ImGui::EndTable();
}

}  // namespace

void runs_panel(AppState& app) {
  RunsPanelState& ui = app.runs_panel;
  ui.rows.clear();
  store_rect(ui.visible, ImGui::GetWindowPos(),
             ImVec2(ImGui::GetWindowPos().x + ImGui::GetWindowSize().x, ImGui::GetWindowPos().y + ImGui::GetWindowSize().y));
  char title[48];
  std::snprintf(title, sizeof title, "Past runs (%zu)###past-runs", app.past_runs.size());
  ui.open = ImGui::CollapsingHeader(title, ImGuiTreeNodeFlags_DefaultOpen);
  store_item_rect(ui.header);
  if (!ui.open) return;
  if (app.past_runs.empty()) {
    text_wrapped("Each finished or stopped run is kept here (the latest 10) with its settings, metrics and curves, "
                       "to reopen, compare or delete.");
    return;
  }
  for (const PastRun& r : app.past_runs) {
    run_row(app, r);
    ImGui::Spacing();
  }
  compare_section(app);
}

std::string runs_panel_layout(const AppState& app) {
  using nlohmann::json;
  const RunsPanelState& ui = app.runs_panel;
  auto rect = [](const float r[4]) { return json::array({r[0], r[1], r[2], r[3]}); };
  json rows = json::array();
  for (const RunsPanelState::Row& r : ui.rows)
    rows.push_back({{"id", r.id},
                    {"row", rect(r.row)},
                    {"open", rect(r.open)},
                    {"delete", rect(r.forget)},
                    {"compare", rect(r.compare)},
                    {"selected", compare_slot(ui, r.id) >= 0},
                    {"shown", r.id == app.shown_run}});
  // And the settings the Train panel shows: those of the run on screen.
  const TrainSettings& s = app.settings;
  const json train = {{"dataset", s.dataset < static_cast<int>(app.datasets.size()) ? app.datasets[s.dataset] : ""},
                      {"preset", presets()[s.preset].name},
                      {"optimizer", optimizer_name(s.optimizer)},
                      {"lr", s.lr},
                      {"batch", s.batch},
                      {"epochs", s.epochs},
                      {"augment", s.augment}};
  return json{{"dpr", app.dpr}, {"visible", rect(ui.visible)}, {"header", rect(ui.header)}, {"open", ui.open},
              {"rows", rows},   {"comparing", ui.compared},    {"train", train}}
      .dump();
}

}  // namespace dt
