// The network editor's state: it follows the preset until edited, an edit becomes what Start
// sends, an unusable design disables Start, and runs or models with their own layers become
// the draft.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include "app/commands.h"
#include "app/network_draft.h"
#include "app/page_controls.h"
#include "app/worker_messages.h"
#include "recipe/presets.h"

using dt::AppState;
using nlohmann::json;

namespace {

json start_config(const AppState& app) {
  return json::parse(dt::commands::start(app.settings, "mnist", false))["config"];
}

}  // namespace

TEST_CASE("the draft is the preset's layers until edited; an edit is what Start sends") {
  AppState app;
  app.settings.preset = dt::preset_index("mlp");
  dt::sync_network_draft(app);
  CHECK_FALSE(app.network.edited);
  CHECK(app.network.summary.ok());
  CHECK(app.network.summary.params == 89610);
  CHECK_FALSE(start_config(app).contains("architecture"));  // the preset's own layers

  dt::ModelSpec spec = app.network.spec;
  spec.layers.erase(spec.layers.begin() + 3, spec.layers.begin() + 5);  // one hidden layer fewer
  dt::set_network_draft(app, spec);
  CHECK(app.network.edited);
  CHECK(app.network.summary.params == 784 * 100 + 100 + 100 * 10 + 10);
  const json config = start_config(app);
  REQUIRE(config.contains("architecture"));
  CHECK(dt::describe(dt::model_spec_from_json(config["architecture"].dump()).value()) == "flatten, dense 100, relu, dense 10");
  CHECK(std::string(app.network.json.data()).find("\"units\":100") != std::string::npos);

  // Another preset starts the draft afresh from its layers.
  app.settings.preset = dt::preset_index("fast");
  dt::apply_preset_defaults(app.settings);
  dt::sync_network_draft(app);
  CHECK_FALSE(app.network.edited);
  CHECK_FALSE(start_config(app).contains("architecture"));
}

TEST_CASE("an unusable design disables Start and says why at its layer") {
  AppState app;
  app.state = dt::RunState::idle;
  app.settings.preset = dt::preset_index("mlp");
  dt::sync_network_draft(app);
  dt::ModelSpec spec = app.network.spec;
  spec.layers.pop_back();  // ends with relu over 100 values, not 10
  dt::set_network_draft(app, spec);
  CHECK_FALSE(app.network.summary.ok());
  CHECK(app.network.summary.error.find("end with a dense 10") != std::string::npos);
  CHECK_FALSE(dt::network_can_train(app));
  CHECK(app.settings.architecture.empty());
  CHECK(json::parse(dt::page_controls_json(app))["allowed"]["start"] == false);
  CHECK_FALSE(dt::page_action_command(app, "start"));

  // The JSON box: a broken text says why and leaves the draft; a good one becomes it.
  std::snprintf(app.network.json.data(), app.network.json.size(), "%s", R"({"input":[28,28,1],"layers":[{"type":"conv3d"}]})");
  CHECK_FALSE(dt::apply_network_json(app));
  CHECK(app.network.json_error.find("conv3d") != std::string::npos);
  std::snprintf(app.network.json.data(), app.network.json.size(), "%s",
                R"({"input":[28,28,1],"layers":[{"type":"flatten"},{"type":"dense","units":10}]})");
  CHECK(dt::apply_network_json(app));
  CHECK(app.network.json_error.empty());
  CHECK(dt::network_can_train(app));
  CHECK(json::parse(dt::page_controls_json(app))["allowed"]["start"] == true);
}

TEST_CASE("a run or an opened model with its own layers becomes the draft") {
  AppState app;
  app.settings.preset = dt::preset_index("fast");
  dt::sync_network_draft(app);
  const std::string arch = R"({"input":[28,28,1],"layers":[{"type":"flatten"},{"type":"dense","units":32},{"type":"relu"},{"type":"dense","units":10}]})";
  dt::apply_worker_message(app, R"({"type":"started","config":{"preset":"fast","architecture":)" + arch +
                                    R"(},"settings":{"preset":"fast","dataset":"mnist"}})");
  CHECK(app.error.empty());
  CHECK(app.network.edited);
  CHECK(app.network.summary.params == 784 * 32 + 32 + 32 * 10 + 10);
  CHECK(app.network.run_flops == doctest::Approx(app.network.summary.flops));
  // A run of the preset's own layers puts them back.
  dt::apply_worker_message(app, R"({"type":"started","config":{"preset":"fast"},"settings":{"preset":"fast"}})");
  CHECK_FALSE(app.network.edited);
  // An opened model file's layers.
  dt::apply_worker_message(app, R"({"type":"restored","preset":"fast","hasWeights":true,"architecture":)" + arch + "}");
  CHECK(app.network.edited);
  CHECK(app.network.summary.layers.size() == 4);
}
