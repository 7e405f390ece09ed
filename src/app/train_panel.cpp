// Train panel: settings, the run's buttons, progress and the loss and accuracy curves.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>

#include "app/commands.h"
#include "app/line_chart.h"
#include "app/panels.h"
#include "recipe/presets.h"
#include "util/format_duration.h"

namespace dt {

namespace {

// Choosing a preset loads its training settings: the start message always carries epochs and
// augmentation, so without this `best` would train for the panel's last epochs without its
// augmentation.
void apply_preset_defaults(TrainSettings& s) {
  const Preset& p = presets()[s.preset];
  s.lr = p.train.lr;
  s.batch = p.train.batch;
  s.optimizer = p.train.optimizer.kind;
  s.epochs = p.train.epochs;
  s.augment = p.train.augment.enabled();
}

void settings_section(AppState& app) {
  TrainSettings& s = app.settings;
  ImGui::BeginDisabled(run_busy(app.state));
  if (s.dataset >= static_cast<int>(app.datasets.size())) s.dataset = 0;
  if (ImGui::BeginCombo("dataset", app.datasets[s.dataset].c_str())) {
    for (int i = 0; i < static_cast<int>(app.datasets.size()); ++i)
      if (ImGui::Selectable(app.datasets[i].c_str(), i == s.dataset)) s.dataset = i;
    ImGui::EndCombo();
  }
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
  ImGui::Checkbox("augment (rotate, scale, shift)", &s.augment);
  ImGui::SliderInt("threads", &s.threads, 0, app.max_threads, s.threads == 0 ? "all" : "%d");
  ImGui::EndDisabled();
  s.batch = std::max(1, s.batch);
  s.epochs = std::max(1, s.epochs);
  // The learning rate may change mid-run: the worker applies it from the next step.
  if (ImGui::SliderFloat("learning rate", &s.lr, 1e-5f, 1e-1f, "%.5f", ImGuiSliderFlags_Logarithmic) &&
      app.state == RunState::training) {
    send_command(commands::set_lr(s.lr));
  }
  if (!app.isolated)
    ImGui::TextColored(ImVec4(1, 0.8f, 0.3f, 1), "Single-threaded: this page is not cross-origin isolated.");
}

void buttons_section(AppState& app) {
  const RunState st = app.state;
  const std::string& dataset = app.datasets[app.settings.dataset];
  ImGui::BeginDisabled(run_busy(st));
  if (ImGui::Button("Start")) send_command(commands::start(app.settings, dataset, false));
  ImGui::EndDisabled();
  if (!app.restored.empty() && app.can_continue) {
    ImGui::SameLine();
    ImGui::BeginDisabled(run_busy(st));
    if (ImGui::Button("Continue")) send_command(commands::start(app.settings, dataset, true));
    ImGui::EndDisabled();
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", app.restored.c_str());
  }
  ImGui::SameLine();
  ImGui::BeginDisabled(st != RunState::training);
  if (ImGui::Button("Pause")) send_command(commands::pause());
  ImGui::EndDisabled();
  ImGui::SameLine();
  ImGui::BeginDisabled(st != RunState::paused);
  if (ImGui::Button("Resume")) send_command(commands::resume());
  ImGui::EndDisabled();
  ImGui::SameLine();
  ImGui::BeginDisabled(st != RunState::training && st != RunState::paused);
  if (ImGui::Button("Stop")) send_command(commands::stop());
  ImGui::EndDisabled();
  ImGui::SameLine();
  ImGui::BeginDisabled(st == RunState::training || st == RunState::loading);
  if (ImGui::Button("Reset")) {
    // Back to an untrained network and empty curves; the pad keeps its ink.
    app.history.clear();
    app.has_confusion = false;
    app.test.predicted.clear();
    app.progress = Progress{};
    app.inference = Inference{};
    app.restored.clear();
    app.shown_run = 0;
    send_command(commands::reset());
  }
  ImGui::EndDisabled();
  ImGui::SameLine();
  // The page keeps the latest snapshot; the file loads in PyTorch and other tools.
  ImGui::BeginDisabled(app.progress.total_steps == 0);
  if (ImGui::Button("Save .safetensors")) send_command(commands::save());
  ImGui::EndDisabled();
}

void progress_section(const AppState& app) {
  const Progress& p = app.progress;
  char overlay[96];
  if (app.state == RunState::loading) {
    std::snprintf(overlay, sizeof overlay, "loading %s", app.loading_file.c_str());
    ImGui::ProgressBar(static_cast<float>(app.loading_fraction), ImVec2(-1, 0), overlay);
    return;
  }
  if (p.total_steps == 0) std::snprintf(overlay, sizeof overlay, "not started");
  else std::snprintf(overlay, sizeof overlay, "epoch %d/%d  step %ld/%ld", p.epoch, p.epochs, p.step_in_epoch, p.steps_per_epoch);
  ImGui::ProgressBar(p.total_steps ? static_cast<float>(p.step) / p.total_steps : 0.0f, ImVec2(-1, 0), overlay);
  // Before a run has reported, there is no speed, loss or accuracy to show: "-", not zeros.
  char test[16] = "-";
  if (app.has_confusion) std::snprintf(test, sizeof test, "%.2f%%", 100 * app.test_accuracy);
  if (p.total_steps == 0) {
    ImGui::Text("%s", run_state_name(app.state));
    ImGui::Text("loss -  train acc -  test acc %s", test);
  } else {
    ImGui::Text("%s  |  %.0f samples/s  |  ETA %s  |  %d thread%s  |  lr %.2g", run_state_name(app.state),
                p.samples_per_second, app.state == RunState::training ? format_duration(p.eta_seconds).c_str() : "-",
                p.threads, p.threads == 1 ? "" : "s", p.lr);
    ImGui::Text("loss %.4f  train acc %.2f%%  test acc %s", p.epoch_loss, 100 * p.train_accuracy, test);
  }
  if (!app.restored.empty()) {
    ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled));
    ImGui::TextWrapped("%s", app.restored.c_str());
    ImGui::PopStyleColor();
  }
  if (!app.notice.empty()) ImGui::TextWrapped("%s", app.notice.c_str());
  if (!app.error.empty()) {  // wrapped: an error is the one line that must be read whole
    ImGui::PushStyleColor(ImGuiCol_Text, ImVec4(1, 0.4f, 0.4f, 1));
    ImGui::TextWrapped("Error: %s", app.error.c_str());
    ImGui::PopStyleColor();
  }
}

void curves_section(const AppState& app) {
  const History& h = app.history;
  const float w = ImGui::GetContentRegionAvail().x;
  const float chart_h = std::max(ImGui::GetFontSize() * 6, ImGui::GetContentRegionAvail().y * 0.5f - ImGui::GetFontSize());
  float loss_max = 0.5f;
  for (float v : h.loss) loss_max = std::max(loss_max, v);
  ImGui::TextUnformatted("loss");
  line_chart("loss", {{"train", &h.step, &h.loss, IM_COL32(90, 170, 255, 255)},
                      {"validation", &h.epoch, &h.val_loss, IM_COL32(255, 160, 60, 255), true}},
             0.0f, std::min(loss_max, 3.0f), ImVec2(w, chart_h));
  // Accuracy starts near 10% and ends near 99%: zoom in once the early steps are behind.
  float acc_min = 0.9f;
  for (size_t i = h.accuracy.size() / 4; i < h.accuracy.size(); ++i) acc_min = std::min(acc_min, h.accuracy[i]);
  for (float v : h.val_accuracy) acc_min = std::min(acc_min, v);
  acc_min = std::floor(acc_min * 10) / 10;
  ImGui::TextUnformatted("accuracy");
  line_chart("accuracy", {{"train", &h.step, &h.accuracy, IM_COL32(90, 170, 255, 255)},
                          {"validation", &h.epoch, &h.val_accuracy, IM_COL32(255, 160, 60, 255), true},
                          {"test", &h.epoch, &h.test_accuracy, IM_COL32(120, 220, 120, 255), true}},
             acc_min, 1.0f, ImVec2(w, chart_h));
}

}  // namespace

void train_panel(AppState& app) {
  settings_section(app);
  buttons_section(app);
  progress_section(app);
  curves_section(app);
}

}  // namespace dt
