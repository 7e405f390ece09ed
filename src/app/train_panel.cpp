// Train panel: settings, the run's buttons, progress and the loss and accuracy curves.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "app/commands.h"
#include "app/line_chart.h"
#include "app/page_controls.h"
#include "app/panels.h"
#include "app/word_wrap.h"
#include "data/dataset_info.h"
#include "recipe/presets.h"
#include "util/format_duration.h"

namespace dt {

namespace {

std::string megabytes(double bytes) {
  char text[32];
  std::snprintf(text, sizeof text, "%.1f MB", bytes / 1e6);
  return text;
}

// "30.9 MB download" for a dataset the worker does not hold yet; "" when it does.
std::string download_cost(const AppState& app, int dataset) {
  const std::string& name = app.datasets[dataset];
  if (std::find(app.downloaded.begin(), app.downloaded.end(), name) != app.downloaded.end()) return "";
  const double bytes = dataset < static_cast<int>(app.dataset_bytes.size()) ? app.dataset_bytes[dataset] : 0;
  return bytes > 0 ? megabytes(bytes) + " download" : "a download";
}

void settings_section(AppState& app) {
  TrainSettings& s = app.settings;
  ImGui::BeginDisabled(run_busy(app.state));
  if (s.dataset >= static_cast<int>(app.datasets.size())) s.dataset = 0;
  const bool open = ImGui::BeginCombo("dataset", dataset_info(app.datasets[s.dataset]).title);
  note_item_rect(app, "Dataset");
  for (int i = 0; i < static_cast<int>(app.datasets.size()); ++i) {
    const std::string name = "Dataset: " + app.datasets[i];  // its entry in the open list
    if (!open) {
      app.widget_rects.erase(name);
      continue;
    }
    const std::string cost = download_cost(app, i);
    const std::string item = std::string(dataset_info(app.datasets[i]).title) + (cost.empty() ? "" : "  (" + cost + ")");
    if (ImGui::Selectable(item.c_str(), i == s.dataset)) s.dataset = i;
    note_item_rect(app, name.c_str());
  }
  if (open) ImGui::EndCombo();
  if (ImGui::BeginCombo("preset", presets()[s.preset].name.c_str())) {
    for (int i = 0; i < static_cast<int>(presets().size()); ++i)
      if (ImGui::Selectable(presets()[i].name.c_str(), i == s.preset)) {
        s.preset = i;
        apply_preset_defaults(s);
      }
    ImGui::EndCombo();
  }
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", describe(presets()[s.preset].model).c_str());
  if (ImGui::BeginCombo("optimiser", optimizer_name(s.optimizer))) {
    for (OptimizerKind kind : kOptimizerKinds)
      if (ImGui::Selectable(optimizer_name(kind), kind == s.optimizer)) s.optimizer = kind;
    ImGui::EndCombo();
  }
  ImGui::InputInt("batch", &s.batch, 16, 64);
  ImGui::InputInt("epochs", &s.epochs, 1, 5);
  if (ImGui::Checkbox(s.amounts.elastic_alpha > 0 ? "augment (rotate, scale, shift, elastic)" : "augment (rotate, scale, shift)",
                      &s.augment) &&
      s.augment && !s.amounts.enabled())
    s.amounts = standard_augment();  // every amount was set to 0: on means something again
  note_item_rect(app, "Augment");
  ImGui::SliderInt("threads", &s.threads, 0, app.max_threads, s.threads == 0 ? "all" : "%d");
  ImGui::EndDisabled();
  s.batch = std::max(1, s.batch);
  s.epochs = std::max(1, s.epochs);
  // The learning rate may change mid-run: the worker applies it from the next step.
  if (ImGui::SliderFloat("learning rate", &s.lr, 1e-5f, 1e-1f, "%.5f", ImGuiSliderFlags_Logarithmic) &&
      app.state == RunState::training) {
    send_command(commands::set_lr(s.lr));
  }
  more_settings_section(app);
  // Only once the worker has said so: before that, nobody knows.
  app.shown.isolation_warning = app.worker_ready && !app.isolated;
  if (app.shown.isolation_warning)
    ImGui::TextColored(ImVec4(1, 0.8f, 0.3f, 1), "Single-threaded: this page is not cross-origin isolated.");
}

// Lays the run's buttons out left to right, wrapping to a new row when the next one would not
// fit. Every button has its slot whether or not it is shown (Continue only appears with a
// saved run), so no button moves under the pointer when another appears or goes.
class ButtonRow {
 public:
  explicit ButtonRow(AppState& app) : app_(app), right_(ImGui::GetCursorScreenPos().x + ImGui::GetContentRegionAvail().x) {}

  // A button, disabled unless `enabled`; returns whether it was pressed.
  bool button(const char* label, const char* name, bool enabled) {
    place(label);
    ImGui::BeginDisabled(!enabled);
    const bool pressed = ImGui::Button(label);
    ImGui::EndDisabled();
    note_item_rect(app_, name);
    return pressed;
  }

  // The slot `label` would take, left empty.
  void gap(const char* label, const char* name) {
    place(label);
    ImGui::Dummy(size(label));
    app_.widget_rects.erase(name);
  }

 private:
  static ImVec2 size(const char* label) {
    const ImVec2 t = ImGui::CalcTextSize(label, nullptr, true);
    const ImVec2 pad = ImGui::GetStyle().FramePadding;
    return ImVec2(t.x + 2 * pad.x, t.y + 2 * pad.y);
  }
  void place(const char* label) {
    if (first_) {
      first_ = false;
      return;
    }
    ImGui::SameLine();
    if (ImGui::GetCursorScreenPos().x + size(label).x > right_) ImGui::NewLine();
  }

  AppState& app_;
  const float right_;
  bool first_ = true;
};

void buttons_section(AppState& app) {
  const RunState st = app.state;
  const std::string& dataset = app.datasets[app.settings.dataset];
  ButtonRow row(app);
  if (row.button("Start", "Start", !run_busy(st) && network_can_train(app)))
    send_command(commands::start(app.settings, dataset, false));
  if (app.restored.empty() || !app.can_continue) {
    row.gap("Continue", "Continue");
  } else {
    if (row.button("Continue", "Continue", !run_busy(st))) send_command(commands::start(app.settings, dataset, true));
    if (ImGui::IsItemHovered(ImGuiHoveredFlags_AllowWhenDisabled)) ImGui::SetTooltip("%s", app.restored.c_str());
  }
  if (row.button("Pause", "Pause", st == RunState::training)) send_command(commands::pause());
  if (row.button("Resume", "Resume", st == RunState::paused)) send_command(commands::resume());
  if (row.button("Stop", "Stop", st == RunState::training || st == RunState::paused)) send_command(commands::stop());
  if (row.button("Reset", "Reset", st != RunState::training && st != RunState::loading)) {
    // Back to an untrained network and empty curves; the pad keeps its ink.
    app.history.clear();
    app.has_confusion = false;
    app.test.predicted.clear();
    app.progress = Progress{};
    app.inference = Inference{};
    app.selected_truth = app.selected_predicted = -1;
    app.restored.clear();
    app.shown_run = 0;
    send_command(commands::reset());
  }
  // The page keeps the latest snapshot; the file loads in PyTorch and other tools.
  if (row.button("Save .safetensors", "Save", app.progress.total_steps != 0 || app.can_continue)) send_command(commands::save());
  // A model file from disk (saved here, by the CLI, or from PyTorch) becomes the run on screen.
  if (row.button("Open model...", "Open", !run_busy(st))) send_command(commands::open());
  if (ImGui::IsItemHovered(ImGuiHoveredFlags_AllowWhenDisabled))
    ImGui::SetTooltip("open a .safetensors model file (or drop one on the page): it is tested, answers on the pad and can train on");
  // int8 for deployment: the weights on screen quantised (about 4x smaller), tested beside the
  // float model; the pad then shows both guesses.
  if (row.button("Quantise (int8)", "Quantise", app.inference.trained() && !run_busy(st) && !app.int8.pending)) {
    app.int8 = Int8Report{};
    app.int8.pending = true;
    send_command(commands::quantize());
  }
  if (ImGui::IsItemHovered(ImGuiHoveredFlags_AllowWhenDisabled))
    ImGui::SetTooltip("int8 weights per output channel, 8-bit activations calibrated on 500 training images: tested on the\n"
                      "test set beside the float model, and the pad answers with both");
  if (row.button("Save int8", "Save int8", app.inference.has_int8())) send_command(commands::save_int8());
}

// What the Quantise button made: the int8 model's test accuracy beside the float one's, its
// size and one image's time; or that it is being made, or why it could not be.
std::string int8_line(const AppState& app) {
  const Int8Report& r = app.int8;
  if (r.pending) return "quantising: calibrating on training images, then testing both models...";
  if (!r.error.empty()) return "int8: " + r.error;
  if (!app.inference.has_int8()) return "";  // none yet, or made from weights since replaced
  char line[256];
  std::snprintf(line, sizeof line,
                "int8: test %.2f%% (float %.2f%%, %+.2f points); %.0f KB, %.1fx smaller; one image %.0f us (float %.0f us)",
                100 * r.int8_accuracy, 100 * r.float_accuracy, 100 * (r.int8_accuracy - r.float_accuracy), r.int8_bytes / 1e3,
                r.int8_bytes > 0 ? static_cast<double>(r.float_bytes) / r.int8_bytes : 0.0, r.int8_us, r.float_us);
  return line;
}

void progress_section(AppState& app) {
  const Progress& p = app.progress;
  app.shown.int8_line = int8_line(app);
  if (!app.shown.int8_line.empty()) text_wrapped("%s", app.shown.int8_line.c_str());
  // Said before Start, not discovered after it: choosing a dataset the worker does not hold
  // yet costs a download. (Below the buttons, so that they do not move when it appears.)
  const std::string cost = download_cost(app, app.settings.dataset);
  app.shown.download.clear();
  if (!cost.empty() && !run_busy(app.state)) {
    app.shown.download = "Start first fetches " + std::string(dataset_info(app.datasets[app.settings.dataset]).title) + " (" +
                         cost + ").";
    text_wrapped("%s", app.shown.download.c_str());
  }
  char overlay[96];
  if (app.state == RunState::loading) {
    const char* what = app.loading_dataset.empty() ? app.loading_file.c_str() : dataset_info(app.loading_dataset).title;
    if (app.loading_total > 0)
      std::snprintf(overlay, sizeof overlay, "loading %s: %s of %s", what, megabytes(app.loading_bytes).c_str(),
                    megabytes(app.loading_total).c_str());
    else std::snprintf(overlay, sizeof overlay, "loading %s", what);
    ImGui::ProgressBar(app.loading_total > 0 ? static_cast<float>(app.loading_bytes / app.loading_total) : 0.0f, ImVec2(-1, 0),
                       overlay);
    return;
  }
  if (p.total_steps == 0) std::snprintf(overlay, sizeof overlay, "not started");
  else if (app.evaluating_epoch > 0)  // seconds with no progress: say why
    std::snprintf(overlay, sizeof overlay, "epoch %d/%d trained; evaluating on the test set...", app.evaluating_epoch, p.epochs);
  else std::snprintf(overlay, sizeof overlay, "epoch %d/%d  step %ld/%ld", p.epoch, p.epochs, p.step_in_epoch, p.steps_per_epoch);
  ImGui::ProgressBar(p.total_steps ? static_cast<float>(p.step) / p.total_steps : 0.0f, ImVec2(-1, 0), overlay);
  // Before a run has reported, there is no speed, loss or accuracy to show: "-", not zeros.
  char test[16] = "-";
  if (app.has_confusion) std::snprintf(test, sizeof test, "%.2f%%", 100 * app.test_accuracy);
  char line[160];
  if (p.total_steps == 0) {
    ImGui::Text("%s", run_state_name(app.state));
    std::snprintf(line, sizeof line, "loss -  train acc -  test acc %s", test);
    ImGui::TextUnformatted(line);
  } else {
    // Short lines, so that a narrow panel never breaks one inside a number.
    ImGui::Text("%s  |  %.0f samples/s  |  ETA %s", run_state_name(app.state), p.samples_per_second,
                app.state == RunState::training ? format_duration(p.eta_seconds).c_str() : "-");
    ImGui::Text("%d thread%s  |  lr %.2g", p.threads, p.threads == 1 ? "" : "s", p.lr);
    // The training figures are the epoch's running means, not a measurement of the model now.
    std::snprintf(line, sizeof line, "loss %.4f  test acc %s", p.epoch_loss, test);
    ImGui::TextUnformatted(line);
    char running[80];
    std::snprintf(running, sizeof running, "train acc %.2f%% (running, this epoch)", 100 * p.train_accuracy);
    ImGui::TextUnformatted(running);
    std::snprintf(line + std::strlen(line), sizeof line - std::strlen(line), "  %s", running);
  }
  app.shown.training_line = line;
  if (!app.restored.empty()) {
    ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled));
    text_wrapped("%s", app.restored.c_str());
    ImGui::PopStyleColor();
  }
  if (!app.notice.empty()) text_wrapped("%s", app.notice.c_str());
  app.shown.train_notes = {app.restored, app.notice};
  if (!app.error.empty()) {  // wrapped: an error is the one line that must be read whole
    ImGui::PushStyleColor(ImGuiCol_Text, ImVec4(1, 0.4f, 0.4f, 1));
    text_wrapped("Error: %s", app.error.c_str());
    ImGui::PopStyleColor();
  }
}

Shown::Chart shown_chart(const std::vector<Series>& series, const char* x_label) {
  Shown::Chart c;
  c.x_label = x_label;
  for (const Series& s : series) {
    c.series.push_back(s.name);
    c.points.push_back(static_cast<int>(std::min(s.x->size(), s.y->size())));
  }
  return c;
}

// Both charts share the x axis: epochs (a step's place is step / steps per epoch), spanning
// the whole planned run so the curve grows into it.
void curves_section(AppState& app) {
  const History& h = app.history;
  const Progress& p = app.progress;
  const float spe = static_cast<float>(std::max(1L, p.steps_per_epoch));
  const float planned = static_cast<float>(std::max(p.epochs, 1));
  const float w = ImGui::GetContentRegionAvail().x;
  const float chart_h = std::max(ImGui::GetFontSize() * 7, ImGui::GetContentRegionAvail().y * 0.5f - ImGui::GetFontSize() * 2.5f);
  const ImU32 train = IM_COL32(90, 170, 255, 255), val = IM_COL32(255, 160, 60, 255), test = IM_COL32(120, 220, 120, 255);
  float loss_max = 0.1f;
  for (float v : h.loss) loss_max = std::max(loss_max, v);
  for (float v : h.val_loss) loss_max = std::max(loss_max, v);
  ImGui::TextUnformatted("loss");
  std::vector<Series> loss{{"train (running mean)", &h.step, &h.loss, train, false, 1 / spe}};
  if (!h.val_loss.empty()) loss.push_back({"validation", &h.val_epoch, &h.val_loss, val, true});
  line_chart("loss", loss, {"epoch", planned, spe, 0.0f, std::min(loss_max, 3.0f), false}, ImVec2(w, chart_h));
  app.shown.loss = shown_chart(loss, "epoch");
  // Accuracy starts near 10% and ends near 99%: zoom in once the early steps are behind.
  float acc_min = 0.9f;
  for (size_t i = h.accuracy.size() / 4; i < h.accuracy.size(); ++i) acc_min = std::min(acc_min, h.accuracy[i]);
  for (float v : h.val_accuracy) acc_min = std::min(acc_min, v);
  for (float v : h.test_accuracy) acc_min = std::min(acc_min, v);
  acc_min = std::floor(acc_min * 10) / 10;
  ImGui::TextUnformatted("accuracy");
  std::vector<Series> accuracy{{"train (running mean)", &h.step, &h.accuracy, train, false, 1 / spe}};
  if (!h.val_accuracy.empty()) accuracy.push_back({"validation", &h.val_epoch, &h.val_accuracy, val, true});
  accuracy.push_back({"test", &h.epoch, &h.test_accuracy, test, true});
  line_chart("accuracy", accuracy, {"epoch", planned, spe, acc_min, 1.0f, true}, ImVec2(w, chart_h));
  app.shown.accuracy = shown_chart(accuracy, "epoch");
}

}  // namespace

void train_panel(AppState& app) {
  settings_section(app);
  buttons_section(app);
  progress_section(app);
  curves_section(app);
}

}  // namespace dt
