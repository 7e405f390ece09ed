// The UI's commands to the page (app/commands.cpp): each is a JSON object whose type is the
// protocol's name, and start carries the Train panel's settings by name.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include "app/commands.h"
#include "app/train_settings.h"
#include "recipe/presets.h"

using nlohmann::json;

TEST_CASE("start carries the settings by name, and whether to continue the saved run") {
  dt::TrainSettings s;
  s.optimizer = dt::OptimizerKind::nesterov;
  s.batch = 64;
  s.epochs = 2;
  s.threads = 1;
  const json m = json::parse(dt::commands::start(s, "fashion", true));
  CHECK(m["type"] == "start");
  const json& c = m["config"];
  CHECK(c["optimizer"] == "nesterov");
  CHECK(c["preset"] == dt::presets()[s.preset].name);
  CHECK(c["dataset"] == "fashion");
  CHECK(c["batch"] == 64);
  CHECK(c["epochs"] == 2);
  CHECK(c["threads"] == 1);
  CHECK(c["resume"] == true);
  CHECK(json::parse(dt::commands::start(s, "mnist", false))["config"]["resume"] == false);
}

TEST_CASE("the other commands name their type, and set carries the learning rate") {
  CHECK(json::parse(dt::commands::pause()) == json{{"type", "pause"}});
  CHECK(json::parse(dt::commands::resume()) == json{{"type", "resume"}});
  CHECK(json::parse(dt::commands::stop()) == json{{"type", "stop"}});
  CHECK(json::parse(dt::commands::save()) == json{{"type", "save"}});
  CHECK(json::parse(dt::commands::reset()) == json{{"type", "reset"}});
  // Past runs are named by their id, a start time in ms: more than 32 bits.
  CHECK(json::parse(dt::commands::reopen(1764500000123)) == json{{"type", "reopen"}, {"id", 1764500000123}});
  CHECK(json::parse(dt::commands::forget(1764500000123)) == json{{"type", "forget"}, {"id", 1764500000123}});
  CHECK(json::parse(dt::commands::open()) == json{{"type", "open"}});
  const json set = json::parse(dt::commands::set_lr(0.25f));
  CHECK(set["type"] == "set");
  CHECK(set["lr"].get<float>() == 0.25f);
}

TEST_CASE("start carries every training setting under the CLI's names, and augmentation as its amounts") {
  dt::TrainSettings s;
  s.preset = dt::preset_index("best");
  dt::apply_preset_defaults(s);
  json c = json::parse(dt::commands::start(s, "mnist", false))["config"];
  CHECK(c["schedule"] == "one-cycle");
  CHECK(c["loss"] == "cross-entropy");
  CHECK(c["label_smoothing"].get<float>() == doctest::Approx(0.1));
  CHECK(c["val"].get<float>() == 0.0f);
  CHECK(c["patience"] == 0);
  REQUIRE(c["augment"].is_object());  // best's own amounts
  CHECK(c["augment"]["rotate"].get<float>() == 10.0f);

  s.loss = dt::LossKind::focal;
  s.focal_gamma = 3;
  s.l2 = 1e-4f;
  s.val = 0.2f;
  s.patience = 2;
  s.amounts.rotate_degrees = 20;
  c = json::parse(dt::commands::start(s, "mnist", false))["config"];
  CHECK(c["loss"] == "focal");
  CHECK(c["focal_gamma"].get<float>() == 3.0f);
  CHECK(c["l2"].get<float>() == doctest::Approx(1e-4));
  CHECK(c["val"].get<float>() == doctest::Approx(0.2));
  CHECK(c["patience"] == 2);
  CHECK(c["augment"]["rotate"].get<float>() == 20.0f);
  s.augment = false;
  CHECK(json::parse(dt::commands::start(s, "mnist", false))["config"]["augment"] == false);
}

TEST_CASE("quantize asks for the int8 model; save_int8 downloads it, not the float weights") {
  CHECK(json::parse(dt::commands::quantize()) == json{{"type", "quantize"}});
  const json save = json::parse(dt::commands::save_int8());
  CHECK(save["type"] == "save");
  CHECK(save["int8"] == true);
  CHECK_FALSE(json::parse(dt::commands::save()).contains("int8"));
}
