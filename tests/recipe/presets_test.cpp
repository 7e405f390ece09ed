// Every preset is a valid recipe: its model builds for 28x28 digits into 10 classes, its
// training settings pass validation, its names survive the round trip through their tables,
// and an unknown name lists the known ones.
#include <doctest/doctest.h>

#include <string>

#include "nn/model.h"
#include "recipe/presets.h"

namespace dt {
namespace {

TEST_CASE("presets: each builds, validates and has a unique name") {
  REQUIRE(!presets().empty());
  for (size_t i = 0; i < presets().size(); ++i) {
    const Preset& p = presets()[i];
    CAPTURE(p.name);
    auto model = Model::build(p.model);
    REQUIRE(model.ok());
    CHECK(model->input_shape().size() == kDigitPixels);
    CHECK(model->classes() == kClasses);
    CHECK(validate(p.train).ok());
    CHECK(p.val_fraction >= 0.0f);
    CHECK(p.val_fraction <= 0.5f);
    for (size_t j = i + 1; j < presets().size(); ++j) CHECK(presets()[j].name != p.name);
    auto found = find_preset(p.name);
    REQUIRE(found.ok());
    CHECK(found->name == p.name);
  }
}

TEST_CASE("presets: an unknown name lists the known ones") {
  auto r = find_preset("no-such-model");
  REQUIRE(!r.ok());
  for (const Preset& p : presets()) CHECK(r.error().find(p.name) != std::string::npos);
}

TEST_CASE("train config: names round-trip and unknown names list the choices") {
  for (OptimizerKind k : kOptimizerKinds) CHECK(*parse_optimizer(optimizer_name(k)) == k);
  for (ScheduleKind k : {ScheduleKind::constant, ScheduleKind::step, ScheduleKind::cosine, ScheduleKind::one_cycle})
    CHECK(*parse_schedule(schedule_name(k)) == k);
  for (LossKind k : {LossKind::cross_entropy, LossKind::focal, LossKind::mse}) CHECK(*parse_loss(loss_name(k)) == k);
  auto bad = parse_optimizer("adamw");
  REQUIRE(!bad.ok());
  CHECK(bad.error().find("adam") != std::string::npos);
  CHECK(bad.error().find("sgd") != std::string::npos);
}

TEST_CASE("train config: validation names the offending setting") {
  TrainConfig c;
  c.batch = 0;
  CHECK(validate(c).error.find("batch") != std::string::npos);
  c = TrainConfig{};
  c.lr = -1;
  CHECK(validate(c).error.find("learning rate") != std::string::npos);
  c = TrainConfig{};
  c.label_smoothing = 1.0f;
  CHECK(validate(c).error.find("label smoothing must be in [0, 1)") != std::string::npos);
  c.label_smoothing = 0.1f;
  CHECK(validate(c).ok());
  c.loss = LossKind::mse;  // smoothing is cross-entropy's: the message says how to get out
  CHECK(validate(c).error.find("set it to 0 for the mse loss") != std::string::npos);
  c = TrainConfig{};
  c.augment.elastic_alpha = 34;
  CHECK(validate(c).ok());
  c.augment.elastic_sigma = 0.1f;
  CHECK(validate(c).error.find("elastic distortion needs") != std::string::npos);
}

}  // namespace
}  // namespace dt
