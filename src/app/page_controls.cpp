#include "app/page_controls.h"

#include <nlohmann/json.hpp>

#include "app/commands.h"
#include "data/dataset_info.h"
#include "recipe/presets.h"

namespace dt {

namespace {

using nlohmann::json;

// When each of the Train panel's buttons is enabled (train_panel.cpp's buttons_section).
struct Allowed {
  bool start, resume_saved, pause, resume, stop;
};

Allowed allowed(const AppState& app) {
  const RunState s = app.state;
  // An edited network that cannot train (network_panel.cpp says why) cannot be started.
  return {!run_busy(s) && network_can_train(app), !run_busy(s) && !app.restored.empty(), s == RunState::training, s == RunState::paused,
          s == RunState::training || s == RunState::paused};
}

std::string choices(const std::vector<std::string>& names) {
  std::string out;
  for (const std::string& n : names) out += (out.empty() ? "" : ", ") + n;
  return out;
}

std::vector<std::string> preset_names() {
  std::vector<std::string> names;
  for (const Preset& p : presets()) names.push_back(p.name);
  return names;
}

int index_of(const std::vector<std::string>& names, const std::string& name) {
  for (size_t i = 0; i < names.size(); ++i)
    if (names[i] == name) return static_cast<int>(i);
  return -1;
}

// The pad's guess as the Draw panel shows it: the class's name for the model's dataset and
// its probability; null for an empty pad or a network that has not trained (no guess shown).
json guess_json(const AppState& app) {
  if (!pad_has_guess(app)) return nullptr;
  const Prediction& p = app.prediction;
  return {{"label", dataset_info(app.model_dataset).classes[p.digit]}, {"probability", p.probabilities[p.digit]}};
}

}  // namespace

std::string page_controls_json(const AppState& app) {
  const Allowed a = allowed(app);
  const int dataset = app.settings.dataset < static_cast<int>(app.datasets.size()) ? app.settings.dataset : 0;
  std::vector<std::string> titles;  // as the panel's combo shows them: "MNIST", "Fashion-MNIST"
  for (const std::string& name : app.datasets) titles.push_back(dataset_info(name).title);
  return json{{"datasets", app.datasets},
              {"datasetTitles", titles},
              {"dataset", app.datasets[dataset]},
              {"presets", preset_names()},
              {"preset", presets()[app.settings.preset].name},
              {"state", run_state_name(app.state)},
              {"allowed",
               {{"start", a.start}, {"continue", a.resume_saved}, {"pause", a.pause}, {"resume", a.resume}, {"stop", a.stop}}},
              {"continuable", !app.restored.empty()},
              {"settings",
               {{"optimizer", optimizer_name(app.settings.optimizer)},
                {"lr", app.settings.lr},
                {"batch", app.settings.batch},
                {"epochs", app.settings.epochs},
                {"augment", app.settings.augment},
                {"rotate", app.settings.amounts.rotate_degrees},
                {"scale", app.settings.amounts.scale},
                {"shift", app.settings.amounts.shift},
                {"elastic", app.settings.amounts.elastic_alpha},
                {"elastic_sigma", app.settings.amounts.elastic_sigma},
                {"threads", app.settings.threads},
                {"momentum", app.settings.momentum},
                {"schedule", schedule_name(app.settings.schedule)},
                {"loss", loss_name(app.settings.loss)},
                {"focal_gamma", app.settings.focal_gamma},
                {"label_smoothing", app.settings.label_smoothing},
                {"l1", app.settings.l1},
                {"l2", app.settings.l2},
                {"val", app.settings.val},
                {"patience", app.settings.patience}}},
              {"padEmpty", app.pad.empty()},
              {"trained", app.inference.trained()},
              {"guess", guess_json(app)},
              {"padVersion", app.pad.version()}}
      .dump();
}

Status set_page_setting(AppState& app, const std::string& name, const std::string& value) {
  if (run_busy(app.state))
    return fail("the " + name + " cannot change while a run is " + run_state_name(app.state) + "; stop it first");
  if (name == "dataset") {
    const int i = index_of(app.datasets, value);
    if (i < 0) return fail("unknown dataset '" + value + "'; choose one of " + choices(app.datasets));
    app.settings.dataset = i;
    return Status::success();
  }
  if (name == "preset") {
    const std::vector<std::string> names = preset_names();
    const int i = index_of(names, value);
    if (i < 0) return fail("unknown preset '" + value + "'; choose one of " + choices(names));
    if (i != app.settings.preset) {
      app.settings.preset = i;
      apply_preset_defaults(app.settings);
    }
    return Status::success();
  }
  return fail("unknown setting '" + name + "'; the page's controls set dataset and preset");
}

Result<std::string> page_action_command(const AppState& app, const std::string& action) {
  const Allowed a = allowed(app);
  const std::string& dataset = app.datasets[app.settings.dataset < static_cast<int>(app.datasets.size()) ? app.settings.dataset : 0];
  const std::string why = action + " is not possible while the run is " + run_state_name(app.state);
  if (action == "start") return a.start ? Result<std::string>(commands::start(app.settings, dataset, false)) : Error{why};
  if (action == "continue") {
    if (app.restored.empty()) return Error{"there is no saved run to continue"};
    return a.resume_saved ? Result<std::string>(commands::start(app.settings, dataset, true)) : Error{why};
  }
  if (action == "pause") return a.pause ? Result<std::string>(commands::pause()) : Error{why};
  if (action == "resume") return a.resume ? Result<std::string>(commands::resume()) : Error{why};
  if (action == "stop") return a.stop ? Result<std::string>(commands::stop()) : Error{why};
  return Error{"unknown action '" + action + "'; the page's controls are start, continue, pause, resume and stop"};
}

}  // namespace dt
