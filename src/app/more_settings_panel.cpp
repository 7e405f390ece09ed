// "More settings" in the Train window: the rest of what `digitrain train` takes (schedule,
// loss, regularisation, validation and early stopping, momentum, the augmentation amounts),
// starting from the preset's values. Settings that cannot act in the current combination are
// not offered (label smoothing only for cross-entropy, momentum only for its optimisers,
// patience only with a validation share), so the panel cannot ask for what the engine refuses.
#include <algorithm>
#include <string>

#include "app/panels.h"

namespace dt {

namespace {

// Ctrl+click lets a person type into a slider; past its ends would be past what the engine takes.
constexpr ImGuiSliderFlags kClamp = ImGuiSliderFlags_AlwaysClamp;

void hint(const char* text) {
  if (ImGui::IsItemHovered(ImGuiHoveredFlags_AllowWhenDisabled)) ImGui::SetTooltip("%s", text);
}

// A combo over named choices; "NAME" is the closed box and "NAME: choice" each entry of the
// open list, for window.digitrain.widgetRect.
template <class Kind, size_t N>
void choice_combo(AppState& app, const char* label, const char* name, Kind& value, const Kind (&kinds)[N],
                  const char* (*text)(Kind)) {
  const bool open = ImGui::BeginCombo(label, text(value));
  note_item_rect(app, name);
  for (Kind kind : kinds) {
    const std::string entry = std::string(name) + ": " + text(kind);
    if (!open) {
      app.widget_rects.erase(entry);
      continue;
    }
    if (ImGui::Selectable(text(kind), kind == value)) value = kind;
    note_item_rect(app, entry.c_str());
  }
  if (open) ImGui::EndCombo();
}

void schedule_and_loss(AppState& app, TrainSettings& s) {
  choice_combo(app, "schedule", "Schedule", s.schedule, kScheduleKinds, schedule_name);
  hint("how the learning rate moves over the run: constant; step (halved every epoch); cosine (down to 0);\n"
       "one-cycle (a warm-up to the rate, then cosine down)");
  choice_combo(app, "loss", "Loss", s.loss, kLossKinds, loss_name);
  hint("cross-entropy; focal (down-weights the images the network already gets right); mse on the probabilities");
  if (s.loss != LossKind::cross_entropy) s.label_smoothing = 0;  // it has no meaning for the others
  if (s.loss == LossKind::focal) {
    ImGui::SliderFloat("focal gamma", &s.focal_gamma, 0.0f, 10.0f, "%.1f", kClamp);
    note_item_rect(app, "Focal gamma");
    hint("0 is cross-entropy; larger values ignore confident right answers more");
  }
  if (s.loss == LossKind::cross_entropy) {
    ImGui::SliderFloat("label smoothing", &s.label_smoothing, 0.0f, 0.5f, "%.2f", kClamp);
    note_item_rect(app, "Label smoothing");
    hint("the share of each target spread evenly over all classes");
  }
}

void optimiser_extras(AppState& app, TrainSettings& s) {
  if (s.optimizer == OptimizerKind::momentum || s.optimizer == OptimizerKind::nesterov) {
    ImGui::SliderFloat("momentum", &s.momentum, 0.0f, 0.99f, "%.2f", kClamp);
    note_item_rect(app, "Momentum");
  }
  ImGui::InputFloat("L1", &s.l1, 0.0f, 0.0f, "%g");
  note_item_rect(app, "L1");
  hint("adds L1 x sum|w| over the weights (not biases) to the loss");
  ImGui::InputFloat("L2", &s.l2, 0.0f, 0.0f, "%g");
  note_item_rect(app, "L2");
  hint("adds L2 x sum(w^2) over the weights (not biases) to the loss");
  s.l1 = std::max(0.0f, s.l1);
  s.l2 = std::max(0.0f, s.l2);
}

void validation(AppState& app, TrainSettings& s) {
  ImGui::SliderFloat("validation", &s.val, 0.0f, 0.5f, "%.2f", kClamp);
  note_item_rect(app, "Validation");
  hint("the share of training images held out to measure each epoch on; the run keeps the epoch that did best there");
  // Early stopping watches the validation loss: without a validation share it could never act.
  if (s.val <= 0) s.patience = 0;
  ImGui::BeginDisabled(s.val <= 0);
  ImGui::InputInt("patience", &s.patience, 1, 5);
  ImGui::EndDisabled();
  note_item_rect(app, "Patience");
  hint(s.val > 0 ? "stop after this many epochs without a better validation loss; 0: never stop early"
                 : "early stopping needs a validation share above 0");
  s.patience = std::clamp(s.patience, 0, 1000);
}

void augmentation(AppState& app, TrainSettings& s) {
  if (!s.augment) return;
  Augment& a = s.amounts;
  ImGui::SliderFloat("rotate", &a.rotate_degrees, 0.0f, 45.0f, "%.0f degrees", kClamp);
  note_item_rect(app, "Rotate");
  ImGui::SliderFloat("scale", &a.scale, 0.0f, 0.5f, "%.2f", kClamp);
  note_item_rect(app, "Scale");
  hint("each image is scaled by a factor drawn from [1 - scale, 1 + scale]");
  ImGui::SliderFloat("shift", &a.shift, 0.0f, 6.0f, "%.1f px", kClamp);
  note_item_rect(app, "Shift");
  ImGui::SliderFloat("elastic", &a.elastic_alpha, 0.0f, 100.0f, "%.0f", kClamp);
  note_item_rect(app, "Elastic");
  hint("elastic distortion's strength (alpha, pixels); 0: none");
  if (a.elastic_alpha > 0) {
    ImGui::SliderFloat("elastic sigma", &a.elastic_sigma, 0.5f, 20.0f, "%.1f px", kClamp);
    note_item_rect(app, "Elastic sigma");
    hint("the smoothness of the distortion: larger bends the whole digit, smaller wiggles its strokes");
  }
}

}  // namespace

// Every control's name here: each frame forgets them all and notes again those it draws, so a
// control that is not offered (or a closed section) has no rectangle.
constexpr const char* kControls[] = {"Schedule", "Loss", "Focal gamma", "Label smoothing", "Momentum", "L1", "L2",
                                     "Validation", "Patience", "Rotate", "Scale", "Shift", "Elastic", "Elastic sigma"};

void more_settings_section(AppState& app) {
  for (const char* name : kControls) app.widget_rects.erase(name);
  const bool open = ImGui::TreeNode("More settings");
  note_item_rect(app, "More settings");
  app.shown.more_settings = open;
  if (!open) return;
  TrainSettings& s = app.settings;
  // The tree's indent moves the fields right, and "label smoothing" is the Train panel's
  // longest label: narrower fields keep their labels inside the window, as the settings above.
  const float longer = ImGui::CalcTextSize("label smoothing").x - ImGui::CalcTextSize("learning rate").x;
  ImGui::PushItemWidth(ImGui::CalcItemWidth() - ImGui::GetStyle().IndentSpacing - std::max(0.0f, longer));
  ImGui::BeginDisabled(run_busy(app.state));
  schedule_and_loss(app, s);
  optimiser_extras(app, s);
  validation(app, s);
  augmentation(app, s);
  ImGui::EndDisabled();
  ImGui::PopItemWidth();
  ImGui::TreePop();
}

}  // namespace dt
