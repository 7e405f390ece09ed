// The panels. Each draws into the current ImGui window; the layout (main.cpp) decides
// where the windows go. Textures live in PanelTextures so the panels keep no hidden state.
#pragma once
#include <string>

#include "app/app_state.h"
#include "app/image_renderer.h"

namespace dt {

struct PanelTextures {
  ImageTexture pad, digit, confusion, examples, filters, feature_maps, mistakes, why_digit, why_map, samples;
  unsigned samples_key = ~0u;
  unsigned mistakes_key = ~0u;
  unsigned examples_key = ~0u, inspect_key = ~0u, digit_key = ~0u, confusion_key = ~0u, pad_version = ~0u;  // what they were built from
  int filters_h = 1, filters_w = 1, maps_h = 1, maps_w = 1;  // atlas sizes
  unsigned uploads() const {
    return pad.uploads() + digit.uploads() + confusion.uploads() + examples.uploads() + filters.uploads() +
           feature_maps.uploads() + mistakes.uploads() + why_digit.uploads() + why_map.uploads() + samples.uploads();
  }
};

void train_panel(AppState& app);
// A tree node in Train's settings: schedule, loss, regularisation, validation, early stopping,
// momentum and the augmentation amounts.
void more_settings_section(AppState& app);
void draw_panel(AppState& app, PanelTextures& tex);
void evaluate_panel(AppState& app, PanelTextures& tex);
void inspect_panel(AppState& app, PanelTextures& tex);
// A collapsing section (at the bottom of the Evaluate window): the past runs, to reopen,
// compare and delete.
void runs_panel(AppState& app);
// A collapsing section of the Evaluate window: the test set's mistakes, the most confidently
// wrong first, filtered by class; a click puts one on the pad.
void mistakes_panel(AppState& app, PanelTextures& tex);
// A collapsing section at the top of Inspect: which pixels made the pad's guess (or any class).
void why_panel(AppState& app, PanelTextures& tex);
// A collapsing section of Train: the layers a run trains, editable (the network editor).
void network_panel(AppState& app);
// A collapsing section at the bottom of Train: what a run with its settings would train on.
void data_panel(AppState& app, PanelTextures& tex);
// Where the runs panel drew its rows and buttons, as JSON for window.digitrain.runsPanel().
std::string runs_panel_layout(const AppState& app);

// Runs the network on the pad when the ink or the weights changed.
void update_pad_prediction(AppState& app);

}  // namespace dt
