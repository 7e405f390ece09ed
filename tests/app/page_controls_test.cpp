// The page's DOM controls (app/page_controls.cpp) reach the same settings and commands as the
// Train panel, under the same rules: a preset brings its defaults, nothing changes while a run
// holds the worker, and each button's command is refused exactly when the button is disabled.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include "app/page_controls.h"
#include "recipe/presets.h"

using nlohmann::json;

TEST_CASE("the controls show the panel's dataset and preset, every choice, and which buttons are enabled") {
  dt::AppState app;
  app.state = dt::RunState::idle;
  app.datasets = {"mnist", "fashion"};
  const json c = json::parse(dt::page_controls_json(app));
  CHECK(c["datasets"] == json({"mnist", "fashion"}));
  CHECK(c["datasetTitles"] == json({"MNIST", "Fashion-MNIST"}));
  CHECK(c["dataset"] == "mnist");
  CHECK(c["presets"].size() == dt::presets().size());
  CHECK(c["preset"] == dt::presets()[app.settings.preset].name);
  CHECK(c["state"] == "idle");
  CHECK(c["allowed"] == json({{"start", true}, {"continue", false}, {"pause", false}, {"resume", false}, {"stop", false}}));
  CHECK(c["continuable"] == false);
  CHECK(c["padEmpty"] == true);
  CHECK(c["trained"] == false);
  CHECK(c["guess"].is_null());  // an empty pad, an untrained network: no guess, as in the Draw panel
  app.pad.stroke(10, 10, 100, 100, 8);
  const json drawn = json::parse(dt::page_controls_json(app));
  CHECK(drawn["padEmpty"] == false);
  CHECK(drawn["padVersion"] != c["padVersion"]);
  CHECK(drawn["guess"].is_null());  // still untrained

  app.state = dt::RunState::paused;
  const json paused = json::parse(dt::page_controls_json(app));
  CHECK(paused["allowed"] == json({{"start", false}, {"continue", false}, {"pause", false}, {"resume", true}, {"stop", true}}));
}

TEST_CASE("choosing a preset brings its defaults to the panel; a dataset by name; nothing while a run holds the worker") {
  dt::AppState app;
  app.state = dt::RunState::idle;
  app.datasets = {"mnist", "fashion"};
  const int fast = dt::preset_index("fast");
  REQUIRE(fast >= 0);
  REQUIRE(dt::set_page_setting(app, "preset", "fast").ok());
  CHECK(app.settings.preset == fast);
  CHECK(app.settings.epochs == dt::presets()[fast].train.epochs);
  CHECK(app.settings.batch == dt::presets()[fast].train.batch);
  CHECK(app.settings.lr == dt::presets()[fast].train.lr);
  REQUIRE(dt::set_page_setting(app, "dataset", "fashion").ok());
  CHECK(app.settings.dataset == 1);
  CHECK(json::parse(dt::page_controls_json(app))["preset"] == "fast");

  const dt::Status unknown = dt::set_page_setting(app, "preset", "huge");
  CHECK(unknown.error.find("unknown preset 'huge'") != std::string::npos);
  CHECK(unknown.error.find("fast") != std::string::npos);  // the choices are listed
  CHECK(dt::set_page_setting(app, "dataset", "cifar").error.find("mnist, fashion") != std::string::npos);
  CHECK(dt::set_page_setting(app, "lr", "1").error.find("unknown setting 'lr'") != std::string::npos);

  app.state = dt::RunState::training;
  CHECK(dt::set_page_setting(app, "dataset", "mnist").error.find("while a run is training") != std::string::npos);
  CHECK(app.settings.dataset == 1);
}

TEST_CASE("each action gives its button's command when the button is enabled, and says why not otherwise") {
  dt::AppState app;
  app.state = dt::RunState::idle;
  dt::Result<std::string> start = dt::page_action_command(app, "start");
  REQUIRE(start.ok());
  const json m = json::parse(*start);
  CHECK(m["type"] == "start");
  CHECK(m["config"]["resume"] == false);
  CHECK(m["config"]["preset"] == dt::presets()[app.settings.preset].name);
  CHECK(dt::page_action_command(app, "continue").error() == "there is no saved run to continue");
  CHECK(dt::page_action_command(app, "pause").error().find("while the run is idle") != std::string::npos);

  app.restored = "restored the fast run stopped at step 10 of 100";
  dt::Result<std::string> resume_saved = dt::page_action_command(app, "continue");
  REQUIRE(resume_saved.ok());
  CHECK(json::parse(*resume_saved)["config"]["resume"] == true);

  app.state = dt::RunState::training;
  CHECK_FALSE(dt::page_action_command(app, "start").ok());
  CHECK(json::parse(*dt::page_action_command(app, "pause"))["type"] == "pause");
  CHECK(json::parse(*dt::page_action_command(app, "stop"))["type"] == "stop");
  CHECK_FALSE(dt::page_action_command(app, "resume").ok());
  CHECK(dt::page_action_command(app, "jump").error().find("unknown action 'jump'") != std::string::npos);
}
