// The Train panel's main settings and actions as the page's DOM controls reach them
// (web/a11y.js, through app_exports.cpp): the same settings the panel edits, the same
// commands its buttons send and the same rules for when each is allowed, so that a keyboard
// or screen-reader user and a pointer user drive one run through one path.
#pragma once
#include <string>

#include "app/app_state.h"
#include "util/result.h"

namespace dt {

// What the DOM controls show, as JSON:
//   {datasets: [names], datasetTitles: [as the panel shows them], dataset, presets: [names], preset, state,
//    allowed: {start, continue, pause, resume, stop}, continuable,
//    settings: {optimizer, lr, batch, epochs, augment, rotate, scale, shift, elastic, elastic_sigma,
//               threads, momentum, schedule, loss, focal_gamma, label_smoothing, l1, l2, val, patience}, padEmpty, padVersion,
//    trained, guess: {label, probability} or null}
// `guess` is the Draw panel's, from app.prediction as the last frame (or the caller) left it.
// `continuable`: a restored run exists (the Continue button is shown).
std::string page_controls_json(const AppState& app);

// Sets "dataset" or "preset" by name, as the panel's combo boxes do (a preset brings its
// defaults). Refused while a run holds the worker, like the panel's disabled combos.
Status set_page_setting(AppState& app, const std::string& name, const std::string& value);

// The command (app/commands.h JSON) that the panel's button `action` ("start", "continue",
// "pause", "resume", "stop") sends now, or why that button is disabled.
Result<std::string> page_action_command(const AppState& app, const std::string& action);

}  // namespace dt
