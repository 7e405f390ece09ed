// How the UI reads the page's messages (app/worker_messages.cpp): each report lands in the
// AppState; a message it does not understand, or with a field of the wrong type, changes
// nothing but the error line, and never throws.
#include <doctest/doctest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "app/worker_messages.h"
#include "recipe/presets.h"

namespace {

using dt::AppState;
using dt::RunState;

std::string rows_of(int n, const std::string& row) {
  std::string s = "[";
  for (int i = 0; i < n; ++i) s += (i ? "," : "") + row;
  return s + "]";
}

}  // namespace

TEST_CASE("state, progress and epoch reports land in the AppState") {
  AppState app;
  dt::apply_worker_message(app, R"({"type":"state","state":"training"})");
  CHECK(app.state == RunState::training);
  dt::apply_worker_message(app, R"({"type":"progress","epoch":1,"step":40,"stepsPerEpoch":100,"totalSteps":100,"epochLoss":0.5,"trainAccuracy":0.8,"threads":2})");
  CHECK(app.progress.step == 40);
  CHECK(app.progress.threads == 2);
  CHECK(app.history.step.size() == 1);
  // 10 rows of 10 (row: true class): 7 on the diagonal in each row, 3 read as class 0.
  std::string rows = "[";
  for (int i = 0; i < 10; ++i) {
    rows += i ? ",[" : "[";
    for (int j = 0; j < 10; ++j) rows += std::string(j ? "," : "") + (i == j ? "7" : j == 0 ? "3" : "0");
    rows += "]";
  }
  rows += "]";
  dt::apply_worker_message(app, R"({"type":"evaluating","epoch":1,"epochs":1})");
  CHECK(app.error.empty());
  CHECK(app.evaluating_epoch == 1);
  dt::apply_worker_message(app, R"({"type":"epoch","epoch":1,"testAccuracy":0.73,"confusion":)" + rows + "}");
  CHECK(app.error.empty());
  CHECK(app.evaluating_epoch == 0);  // the epoch's results are in
  REQUIRE(app.has_confusion);
  CHECK(app.confusion.at(4, 4) == 7);
  CHECK(app.confusion.at(4, 0) == 3);
  CHECK(app.confusion.at(0, 0) == 7);
  CHECK(app.confusion.total() == 97);
  CHECK(app.test_accuracy == doctest::Approx(0.73));
  dt::apply_worker_message(app, R"({"type":"error","message":"out of memory"})");
  CHECK(app.state == RunState::error);
  CHECK(app.error == "out of memory");
}

TEST_CASE("an epoch without validation adds a test point and no made-up validation point") {
  AppState app;
  const std::string confusion = rows_of(10, "[1,0,0,0,0,0,0,0,0,0]");
  dt::apply_worker_message(app, R"({"type":"epoch","epoch":1,"testAccuracy":0.9,"valAccuracy":null,"valLoss":null,"confusion":)" + confusion + "}");
  CHECK(app.error.empty());
  CHECK(app.history.epoch.size() == 1);
  CHECK(app.history.test_accuracy.size() == 1);
  CHECK(app.history.val_accuracy.empty());
  dt::apply_worker_message(app, R"({"type":"epoch","epoch":2,"testAccuracy":0.95,"valAccuracy":0.94,"valLoss":0.2,"confusion":)" + confusion + "}");
  CHECK(app.history.epoch.back() == 2);
  REQUIRE(app.history.val_accuracy.size() == 1);
  CHECK(app.history.val_epoch[0] == 2);
  CHECK(app.history.val_accuracy[0] == doctest::Approx(0.94));
}

TEST_CASE("started takes the run's real settings, optimiser included") {
  AppState app;
  dt::apply_worker_message(app, R"({"type":"started","settings":{"preset":"mlp","optimizer":"rmsprop","batch":64,"epochs":3,"lr":0.01}})");
  CHECK(app.error.empty());
  CHECK(app.settings.optimizer == dt::OptimizerKind::rmsprop);
  CHECK(app.settings.batch == 64);
  CHECK(app.settings.epochs == 3);
}

TEST_CASE("started shows the schedule, loss, regularisation, validation, early stopping and augmentation it runs with") {
  AppState app;
  dt::apply_worker_message(app, R"({"type":"started","settings":{"preset":"keras-cnn","schedule":"cosine","loss":"mse",
      "momentum":0.7,"focal_gamma":1,"label_smoothing":0,"l1":0.001,"l2":0.002,"val":0.25,"patience":3,
      "augment":{"rotate":12,"scale":0.2,"shift":1,"elastic":0,"elastic_sigma":4}}})");
  CHECK(app.error.empty());
  CHECK(app.settings.schedule == dt::ScheduleKind::cosine);
  CHECK(app.settings.loss == dt::LossKind::mse);
  CHECK(app.settings.momentum == doctest::Approx(0.7));
  CHECK(app.settings.l1 == doctest::Approx(0.001));
  CHECK(app.settings.l2 == doctest::Approx(0.002));
  CHECK(app.settings.val == doctest::Approx(0.25));
  CHECK(app.settings.patience == 3);
  CHECK(app.settings.augment);
  CHECK(app.settings.amounts.rotate_degrees == 12.0f);
  CHECK(app.settings.amounts.scale == doctest::Approx(0.2));

  // A run saved before the page sent every setting: another preset's values fill the gaps.
  dt::apply_worker_message(app, R"({"type":"started","settings":{"preset":"best","epochs":20}})");
  CHECK(app.error.empty());
  CHECK(app.settings.schedule == dt::ScheduleKind::one_cycle);
  CHECK(app.settings.label_smoothing == doctest::Approx(0.1));
  CHECK(app.settings.val == 0.0f);
  CHECK(app.settings.augment);
  CHECK(app.settings.amounts.rotate_degrees == 10.0f);

  dt::apply_worker_message(app, R"({"type":"started","settings":{"schedule":"linear"}})");
  CHECK(app.error.find("linear") != std::string::npos);
}

TEST_CASE("messages the UI does not understand are ignored with an error, never a throw") {
  struct Case {
    const char* what;
    std::string text;
    const char* error;  // part of the error shown
  };
  const Case cases[] = {
      {"not JSON", "{not json", "not a JSON object"},
      {"not an object", "[1,2]", "not a JSON object"},
      {"no type", R"({"state":"idle"})", "no 'type'"},
      {"type not a string", R"({"type":3})", "no 'type'"},
      {"unknown type", R"({"type":"explode"})", "unknown message type 'explode'"},
      {"a command", R"({"type":"pause"})", "is a command"},
      {"bytes as JSON", R"({"type":"weights","bytes":{}})", "its own call"},
      {"unknown state", R"({"type":"state","state":"running"})", "unknown run state 'running'"},
      {"state not a string", R"({"type":"state","state":1})", "'state' must be a string"},
      {"step a string", R"({"type":"progress","step":"40"})", "'step' must be a number"},
      {"step out of range", R"({"type":"progress","step":1e300})", "'step' must be a number in range"},
      {"threads out of range", R"({"type":"progress","threads":3e9})", "'threads' must be a number in range"},
      {"flat confusion", R"({"type":"epoch","confusion":)" + rows_of(100, "1") + "}", "10 rows of 10 counts"},
      {"short row", R"({"type":"epoch","confusion":)" + rows_of(10, "[1,2,3]") + "}", "10 rows of 10 counts"},
      {"negative count", R"({"type":"epoch","confusion":)" + rows_of(10, "[1,1,1,1,1,1,1,1,1,-1]") + "}", "not negative"},
      {"fractional count", R"({"type":"epoch","confusion":)" + rows_of(10, "[1,1,1,1,1,1,1,1,1,0.5]") + "}", "whole numbers"},
      {"huge counts", R"({"type":"epoch","confusion":)" + rows_of(10, "[1,1,1,1,1,1,1,1,1,9000000]") + "}", "more samples"},
      {"confusion not an array", R"({"type":"epoch","confusion":"x"})", "'confusion' must be an array"},
      {"bad optimiser", R"({"type":"started","settings":{"optimizer":"lion"}})", "unknown optimizer 'lion'"},
      {"settings not an object", R"({"type":"started","settings":[]})", "'settings' must be an object"},
      {"augment field", R"({"type":"started","settings":{"augment":{"rotate":"a lot"}}})", "augment: 'rotate'"},
      {"datasets not names", R"({"type":"ready","datasets":["mnist",2]})", "'datasets' must be names"},
      {"message not a string", R"({"type":"error","message":{}})", "'message' must be a string"},
      {"loaded a string", R"({"type":"loading","file":"a.gz","loaded":"1"})", "'loaded' must be a number"},
      {"a UI command", R"({"type":"reopen","id":1})", "is a command"},
      {"runs not a list", R"({"type":"history","runs":{}})", "'runs' must be an array"},
      {"run not an object", R"({"type":"history","runs":[3]})", "each run must be an object"},
      {"run without id", R"({"type":"history","runs":[{"preset":"fast"}]})", "'id' must be a run's id"},
      {"run accuracy a string", R"({"type":"history","runs":[{"id":5,"testAccuracy":"high"}]})", "'testAccuracy' must be a number"},
      {"curve not numbers", R"({"type":"history","runs":[{"id":5,"curves":{"step":[1,"2"]}}]})", "'step' must be numbers"},
      {"curves of unequal length", R"({"type":"history","runs":[{"id":5,"curves":{"step":[1,2],"loss":[1]}}]})",
       "'loss' and 'step' differ in length"},
      {"restored curves not an object", R"({"type":"restored","curves":[1]})", "'curves' must be an object"},
      {"restored progress wrong", R"({"type":"restored","progress":{"step":"x"}})", "progress: 'step' must be a number"},
      {"restored epoch wrong", R"({"type":"restored","epoch":{"confusion":[1]}})", "epoch: 'confusion' must be 10 rows"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.what);
    AppState app;
    app.state = RunState::paused;
    app.progress.step = 7;
    const size_t points = app.history.step.size();
    CHECK_NOTHROW(dt::apply_worker_message(app, c.text));
    CHECK(app.error.find(c.error) != std::string::npos);
    CHECK(app.error.find("ignored a message") == 0);
    // Nothing else changed: not half applied.
    CHECK(app.state == RunState::paused);
    CHECK(app.progress.step == 7);
    CHECK(app.history.step.size() == points);
    CHECK_FALSE(app.has_confusion);
    CHECK(app.settings.optimizer == dt::TrainSettings{}.optimizer);
  }
}

TEST_CASE("missing and null fields keep their defaults") {
  AppState app;
  dt::apply_worker_message(app, R"({"type":"progress","step":null})");
  CHECK(app.error.empty());
  CHECK(app.progress.step == 0);
  dt::apply_worker_message(app, R"({"type":"epoch","epoch":1})");
  CHECK(app.error.empty());
  CHECK_FALSE(app.has_confusion);
}

TEST_CASE("a restored run brings its settings to the Train panel, and says whether it continues exactly") {
  AppState app;  // the panel starts on keras-cnn with Adam
  dt::apply_worker_message(app, R"({"type":"restored","preset":"mlp","resumable":true,"step":225,"totalSteps":1875,
                                    "settings":{"preset":"mlp","optimizer":"sgd","batch":64,"epochs":2,"lr":0.05}})");
  CHECK(app.error.empty());
  CHECK(dt::presets()[app.settings.preset].name == "mlp");
  CHECK(app.settings.optimizer == dt::OptimizerKind::sgd);
  CHECK(app.settings.batch == 64);
  CHECK(app.settings.epochs == 2);
  CHECK(app.restored == "restored the mlp run stopped at step 225 of 1875; Continue trains on exactly from there");

  AppState finished;
  dt::apply_worker_message(finished, R"({"type":"restored","preset":"fast","settings":{"preset":"fast"}})");
  CHECK(dt::presets()[finished.settings.preset].name == "fast");
  CHECK(finished.restored == "restored the fast model saved before the reload");

  // Settings of the wrong type leave the panel and the restored line as they were.
  AppState bad;
  const dt::TrainSettings before = bad.settings;
  dt::apply_worker_message(bad, R"({"type":"restored","preset":"mlp","settings":{"batch":"many"}})");
  CHECK_FALSE(bad.error.empty());
  CHECK(bad.restored.empty());
  CHECK(bad.settings.batch == before.batch);
}

namespace {
// {"step": [...], ...}: n points per progress report and e per epoch.
std::string curves_json(int n, int e) {
  std::string steps, losses, epochs;
  for (int i = 0; i < n; ++i) {
    steps += (i ? "," : "") + std::to_string(10 * (i + 1));
    losses += (i ? "," : "") + std::to_string(1.0 / (i + 1));
  }
  for (int i = 0; i < e; ++i) epochs += (i ? "," : "") + std::to_string(i + 1);
  const std::string fill = [&] {
    std::string v;
    for (int i = 0; i < e; ++i) v += (i ? "," : "") + std::string("0.9");
    return v;
  }();
  return R"({"step":[)" + steps + R"(],"loss":[)" + losses + R"(],"accuracy":[)" + losses + R"(],"testEpoch":[)" + epochs +
         R"(],"testAccuracy":[)" + fill + R"(],"valEpoch":[)" + epochs + R"(],"valLoss":[)" + fill + R"(],"valAccuracy":[)" +
         fill + "]}";
}
}  // namespace

TEST_CASE("a restored run brings back its curves, last progress and test metrics whole") {
  AppState app;
  app.history.step = {1, 2, 3};  // what the screen showed before: replaced, not added to
  app.has_confusion = true;
  app.test.predicted = {1, 2};
  dt::apply_worker_message(app, R"({"type":"restored","id":1764000000000,"preset":"fast","resumable":true,"step":450,"totalSteps":900,
      "progress":{"epoch":1,"step":450,"stepsPerEpoch":900,"totalSteps":900,"epochLoss":0.3,"trainAccuracy":0.91},
      "curves":)" + curves_json(300, 0) + "}");
  CHECK(app.error.empty());
  CHECK(app.history.step.size() == 300);
  CHECK(app.history.loss.size() == 300);
  CHECK(app.history.step.back() == 3000);
  CHECK(app.history.epoch.empty());
  CHECK(app.progress.step == 450);
  CHECK(app.progress.train_accuracy == doctest::Approx(0.91));
  CHECK_FALSE(app.has_confusion);  // no epoch yet: the old matrix is not this run's
  CHECK(app.test.predicted.empty());
  CHECK(app.shown_run == 1764000000000);
  CHECK(app.can_continue);

  // Continuing it exactly keeps the curves; a new run clears them.
  dt::apply_worker_message(app, R"({"type":"started","exact":true,"settings":{"preset":"fast"}})");
  CHECK(app.history.step.size() == 300);
  dt::apply_worker_message(app, R"({"type":"started","settings":{"preset":"fast"}})");
  CHECK(app.history.step.empty());
  CHECK(app.shown_run == 0);
}

TEST_CASE("a reopened past run shows its epoch metrics, and says when its weights were not kept") {
  AppState app;
  const std::string rows = rows_of(10, "[9,0,0,0,0,0,0,0,0,1]");
  dt::apply_worker_message(app, R"({"type":"restored","id":7,"preset":"mlp","reopened":true,"hasWeights":true,
      "epoch":{"epoch":2,"testAccuracy":0.9,"confusion":)" + rows + R"(},"curves":)" + curves_json(40, 2) + "}");
  CHECK(app.error.empty());
  CHECK(app.has_confusion);
  CHECK(app.test_accuracy == doctest::Approx(0.9));
  CHECK(app.history.epoch.size() == 2);  // from the curves, not one more for the epoch report
  CHECK(app.restored == "reopened the past mlp run; Continue trains on from its weights");
  CHECK(app.can_continue);

  dt::apply_worker_message(app, R"({"type":"restored","id":8,"preset":"torch-lenet","reopened":true,"hasWeights":false})");
  CHECK(app.error.empty());
  CHECK_FALSE(app.can_continue);
  CHECK(app.restored.find("curves and settings only") != std::string::npos);
  CHECK_FALSE(app.has_confusion);
  CHECK(app.history.step.empty());
}

TEST_CASE("an opened model file shows its test metrics with no curves, and says what it is") {
  AppState app;
  app.history.epoch.push_back(1);  // the run on screen before
  const std::string rows = rows_of(10, "[9,0,0,0,0,0,0,0,0,1]");
  dt::apply_worker_message(app, R"({"type":"restored","id":9,"preset":"fast","reopened":false,"hasWeights":true,
      "settings":{"preset":"fast","dataset":"mnist","epochs":1},"epoch":{"testAccuracy":0.9912,"confusion":)" + rows +
                                    R"(},"curves":)" + curves_json(0, 0) +
                                    R"(,"opened":{"name":"mine.safetensors","layers":"flatten, dense 10","parameters":7850}})");
  CHECK(app.error.empty());
  CHECK(app.has_confusion);
  CHECK(app.test_accuracy == doctest::Approx(0.9912));
  CHECK(app.history.epoch.empty());
  CHECK(app.can_continue);
  CHECK(app.restored == "opened mine.safetensors (flatten, dense 10; 7850 parameters); Continue trains it on with the fast recipe");
  dt::apply_worker_message(app, R"({"type":"restored","opened":{"name":7}})");
  CHECK(app.error.find("opened") != std::string::npos);
}

TEST_CASE("a restored run from a page before curves were kept shows its last report and epoch as points") {
  AppState app;
  dt::apply_worker_message(app, R"({"type":"restored","preset":"fast",
      "progress":{"epoch":1,"step":900,"stepsPerEpoch":900,"totalSteps":900},"epoch":{"epoch":1,"testAccuracy":0.97}})");
  CHECK(app.error.empty());
  CHECK(app.history.step.size() == 1);
  CHECK(app.history.epoch.size() == 1);
  CHECK(app.history.epoch[0] == 1);
}

TEST_CASE("the past runs list lands whole, and the runs compared stay so while they are kept") {
  AppState app;
  const std::string two = R"({"type":"history","runs":[
      {"id":1764000000002,"savedAt":1764000060000,"ended":"finished","dataset":"mnist","preset":"fast","optimizer":"adam",
       "lr":0.005,"batch":32,"epochs":1,"augment":false,"epochsDone":1,"testAccuracy":0.981,"seconds":12.5,
       "samplesPerSecond":4500,"stepsPerEpoch":32,"hasWeights":true,"weightsSize":455000,"curves":)" + curves_json(5, 1) + R"(},
      {"id":1764000000001,"ended":"stopped","preset":"mlp","testAccuracy":null,"hasWeights":false}]})";
  dt::apply_worker_message(app, two);
  CHECK(app.error.empty());
  REQUIRE(app.past_runs.size() == 2);
  const dt::PastRun& r = app.past_runs[0];
  CHECK(r.id == 1764000000002);
  CHECK(r.preset == "fast");
  CHECK(r.ended == "finished");
  CHECK(r.lr == doctest::Approx(0.005f));
  CHECK(r.test_accuracy == doctest::Approx(0.981));
  CHECK(r.seconds == doctest::Approx(12.5));
  CHECK(r.samples_per_second == doctest::Approx(4500));
  CHECK(r.steps_per_epoch == 32);
  CHECK(r.has_weights);
  CHECK(r.curves.step.size() == 5);
  CHECK(r.curves.test_accuracy.size() == 1);
  CHECK(app.past_runs[1].test_accuracy < 0);  // never tested
  CHECK_FALSE(app.past_runs[1].has_weights);

  app.runs_panel.compared = {1764000000001, 1764000000002};
  dt::apply_worker_message(app, R"({"type":"history","runs":[{"id":1764000000002}]})");
  CHECK(app.past_runs.size() == 1);
  CHECK(app.runs_panel.compared == std::vector<int64_t>{1764000000002});

  // A bad list changes nothing.
  dt::apply_worker_message(app, R"({"type":"history","runs":[{"id":3},{"id":"x"}]})");
  CHECK(app.error.find("'id' must be a number") != std::string::npos);
  CHECK(app.past_runs.size() == 1);
}

TEST_CASE("the Quantise button's answer: the report, or why there is none") {
  AppState app;
  app.int8.pending = true;
  dt::apply_worker_message(app, R"({"type":"quantize","name":"the fast model","dataset":"mnist","calibration":500,
      "floatAccuracy":0.9916,"int8Accuracy":0.9915,"floatBytes":459072,"int8Bytes":117184,"floatUs":24.7,"int8Us":21.8})");
  CHECK(app.error.empty());
  CHECK_FALSE(app.int8.pending);
  CHECK(app.int8.error.empty());
  CHECK(app.int8.calibration == 500);
  CHECK(app.int8.int8_accuracy == doctest::Approx(0.9915));
  CHECK(app.int8.float_bytes == 459072);
  CHECK(app.int8.int8_bytes == 117184);
  CHECK(app.int8.int8_us == doctest::Approx(21.8));

  app.int8.pending = true;
  dt::apply_worker_message(app, R"({"type":"quantize","error":"there are no weights to quantise: train or open a model first"})");
  CHECK_FALSE(app.int8.pending);
  CHECK(app.int8.error.find("no weights") != std::string::npos);

  app.int8.pending = true;
  dt::apply_worker_message(app, R"({"type":"quantize","int8Bytes":"many"})");
  CHECK(app.error.find("'int8Bytes'") != std::string::npos);
  CHECK_FALSE(app.int8.pending);  // a garbled answer does not leave the button waiting forever
}
