// The worker's training session without a browser: start configs and their errors, slices
// that end at epoch boundaries with the test confusion matrix, weight snapshots, and
// continuing from saved weights.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include <cmath>
#include <string>
#include <vector>

#include "io/safetensors.h"
#include "quant/quantized_file.h"
#include "nn/spec.h"
#include "worker/start_config.h"
#include "worker/training_session.h"

namespace {

using nlohmann::json;

// An idx file: magic (0, 0, 8, rank), big-endian sizes, then the bytes.
std::vector<uint8_t> idx(const std::vector<uint32_t>& dims, const std::vector<uint8_t>& data) {
  std::vector<uint8_t> out{0, 0, 8, static_cast<uint8_t>(dims.size())};
  for (uint32_t d : dims)
    for (int shift = 24; shift >= 0; shift -= 8) out.push_back(static_cast<uint8_t>(d >> shift));
  out.insert(out.end(), data.begin(), data.end());
  return out;
}

// `count` 28x28 digits that are easy to tell apart: class k is a bright bar on row 2 + 2k.
struct Bars {
  std::vector<uint8_t> images, labels;
  explicit Bars(int count) {
    std::vector<uint8_t> pixels(static_cast<size_t>(count) * 784, 0), classes(count);
    for (int i = 0; i < count; ++i) {
      classes[i] = static_cast<uint8_t>(i % 10);
      for (int x = 4; x < 24; ++x) pixels[static_cast<size_t>(i) * 784 + (2 + 2 * (i % 10)) * 28 + x] = 255;
    }
    images = idx({static_cast<uint32_t>(count), 28, 28}, pixels);
    labels = idx({static_cast<uint32_t>(count)}, classes);
  }
};

dt::Status add_bars(dt::TrainingSession& s, const Bars& train, const Bars& test) {
  return s.add_dataset("mnist", {{train.images.data(), train.images.size()},
                                 {train.labels.data(), train.labels.size()},
                                 {test.images.data(), test.images.size()},
                                 {test.labels.data(), test.labels.size()}});
}

// Runs slices until the run finishes; returns every epoch report.
std::vector<json> run_to_end(dt::TrainingSession& s) {
  std::vector<json> epochs;
  for (int guard = 0; guard < 10000; ++guard) {
    const json r = json::parse(s.run_for(5.0));
    REQUIRE(r.contains("progress"));
    if (r.contains("epoch")) epochs.push_back(r["epoch"]);
    if (r["done"].get<bool>()) break;
  }
  return epochs;
}

}  // namespace

TEST_CASE("start configs: defaults from the preset, overrides, and errors that name the field") {
  auto c = dt::parse_start_config("{}", 4);
  REQUIRE(c.ok());
  CHECK(c->preset.name == "keras-cnn");
  CHECK(c->dataset == "mnist");
  CHECK(c->preset.train.threads == 4);  // 0 (all) becomes what the page can run

  c = dt::parse_start_config(R"({"preset":"mlp","epochs":2,"batch":64,"lr":0.01,"optimizer":"sgd",
                                 "threads":16,"seed":7,"augment":true,"dataset":"fashion"})", 2);
  REQUIRE(c.ok());
  CHECK(c->preset.name == "mlp");
  CHECK(c->preset.train.epochs == 2);
  CHECK(c->preset.train.batch == 64);
  CHECK(c->preset.train.lr == doctest::Approx(0.01));
  CHECK(c->preset.train.optimizer.kind == dt::OptimizerKind::sgd);
  CHECK(c->preset.train.threads == 2);  // never more than the worker's pool
  CHECK(c->preset.train.seed == 7);
  CHECK(c->preset.train.augment.enabled());
  CHECK(c->dataset == "fashion");

  CHECK(dt::parse_start_config(R"({"preset":"nope"})", 1).error().find("nope") != std::string::npos);
  CHECK(dt::parse_start_config(R"({"batch":0})", 1).error().find("batch") != std::string::npos);
  CHECK(dt::parse_start_config(R"({"epochs":"many"})", 1).error().find("'epochs' must be an integer") != std::string::npos);
  CHECK(dt::parse_start_config(R"({"optimizer":"lion"})", 1).error().find("lion") != std::string::npos);
  CHECK(dt::parse_start_config(R"({"dataset":"cifar"})", 1).error().find("cifar") != std::string::npos);
  CHECK(dt::parse_start_config(R"({"augment":{"scale":2}})", 1).error().find("augment") != std::string::npos);
  CHECK(dt::parse_start_config("not json", 1).error().find("JSON object") != std::string::npos);
}

TEST_CASE("start configs: unknown keys are errors that list the accepted keys; resume is the page's") {
  const std::string unknown = dt::parse_start_config(R"({"epoch":3})", 1).error();
  CHECK(unknown.find("unknown key 'epoch'") != std::string::npos);
  for (const char* key : {"preset", "dataset", "epochs", "batch", "lr", "optimizer", "momentum", "schedule", "loss",
                          "focal_gamma", "label_smoothing", "l1", "l2", "val", "patience", "threads", "seed", "augment",
                          "architecture", "resume"})
    CHECK(unknown.find(key) != std::string::npos);
  CHECK(dt::parse_start_config(R"({"patience":3,"val":0})", 1).error().find("'patience' 3 needs a validation share") !=
        std::string::npos);
  CHECK(dt::parse_start_config(R"({"augment":{"rotate":5,"flip":true}})", 1).error().find("unknown key 'flip'") !=
        std::string::npos);

  auto c = dt::parse_start_config(R"({"resume":true,"epochs":2,"seed":null})", 1);
  REQUIRE(c.ok());  // resume is accepted and left to the page; null means "the preset's"
  CHECK(c->preset.train.epochs == 2);
  CHECK(c->preset.train.seed == 1);
  c = dt::parse_start_config(R"({"batch":64.0,"seed":9007199254740991,"augment":{"rotate":5}})", 1);
  REQUIRE(c.ok());  // a whole number written as a float is still a whole number
  CHECK(c->preset.train.batch == 64);
  CHECK(c->preset.train.seed == 9007199254740991ull);
  CHECK(c->preset.train.augment.rotate_degrees == 5.0f);
  c = dt::parse_start_config(R"({"augment":{"elastic":34,"elastic_sigma":4}})", 1);
  REQUIRE(c.ok());
  CHECK(c->preset.train.augment.elastic_alpha == 34.0f);
  CHECK(c->preset.train.augment.elastic_sigma == 4.0f);
  CHECK(dt::parse_start_config(R"({"augment":{"elastic":-1}})", 1).error().find("elastic") != std::string::npos);
}

TEST_CASE("start configs: every training setting the CLI has, under the CLI's names, checked as the CLI checks them") {
  auto c = dt::parse_start_config(R"({"preset":"keras-cnn","optimizer":"nesterov","momentum":0.8,"schedule":"one-cycle",
                                      "loss":"focal","focal_gamma":1.5,"l1":1e-6,"l2":5e-4,"val":0.2,"patience":2})", 1);
  REQUIRE(c.ok());
  const dt::TrainConfig& t = c->preset.train;
  CHECK(t.optimizer.kind == dt::OptimizerKind::nesterov);
  CHECK(t.optimizer.momentum == doctest::Approx(0.8));
  CHECK(t.schedule.kind == dt::ScheduleKind::one_cycle);
  CHECK(t.loss == dt::LossKind::focal);
  CHECK(t.focal_gamma == doctest::Approx(1.5));
  CHECK(t.optimizer.l1 == doctest::Approx(1e-6));
  CHECK(t.optimizer.l2 == doctest::Approx(5e-4));
  CHECK(c->preset.val_fraction == doctest::Approx(0.2));
  CHECK(t.patience == 2);

  c = dt::parse_start_config(R"({"preset":"best","label_smoothing":0,"val":0})", 1);
  REQUIRE(c.ok());  // best's own label smoothing and validation share can be turned off
  CHECK(c->preset.train.label_smoothing == 0.0f);
  CHECK(c->preset.val_fraction == 0.0f);

  struct Case {
    const char* config;
    const char* says;
  };
  for (const Case& k : {Case{R"({"schedule":"linear"})", "linear"}, Case{R"({"schedule":3})", "'schedule' must be a name"},
                        Case{R"({"loss":"hinge"})", "hinge"}, Case{R"({"loss":false})", "'loss' must be a name"},
                        Case{R"({"momentum":1})", "momentum must be in [0, 1)"},
                        Case{R"({"momentum":"high"})", "'momentum' must be a number"},
                        Case{R"({"loss":"focal","focal_gamma":-1})", "gamma must be from 0 to 10"},
                        Case{R"({"loss":"mse","label_smoothing":0.1})", "cross-entropy loss only"},
                        Case{R"({"label_smoothing":1})", "label smoothing must be in [0, 1)"},
                        Case{R"({"l2":-0.001})", "must not be negative"}, Case{R"({"l1":1e300})", "'l1' must be a number"},
                        Case{R"({"val":0.6})", "'val' (the share of training images held out"},
                        Case{R"({"patience":-1})", "'patience' must be an integer from 0"},
                        Case{R"({"patience":2,"preset":"fast"})", "needs a validation share"}}) {
    CAPTURE(k.config);
    const auto r = dt::parse_start_config(k.config, 1);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().find(k.says) != std::string::npos);
  }
}

TEST_CASE("start configs: integers are range-checked before conversion, and the message names field and range") {
  struct Case {
    const char* config;
    const char* message;
  };
  const Case cases[] = {
      {R"({"epochs":1e10})", "'epochs' must be an integer from 1 to 100000"},
      {R"({"epochs":10000000000})", "'epochs' must be an integer from 1 to 100000"},
      {R"({"epochs":0})", "'epochs' must be an integer from 1 to 100000"},
      {R"({"epochs":2.5})", "'epochs' must be an integer from 1 to 100000"},
      {R"({"batch":-1e300})", "'batch' must be an integer from 1 to 65536"},
      {R"({"batch":65537})", "'batch' must be an integer from 1 to 65536"},
      {R"({"batch":true})", "'batch' must be an integer from 1 to 65536"},
      {R"({"threads":257})", "'threads' must be an integer from 0 to 256"},
      {R"({"threads":-1})", "'threads' must be an integer from 0 to 256"},
      {R"({"seed":-1})", "'seed' must be an integer from 0 to 9007199254740991"},
      {R"({"seed":1e30})", "'seed' must be an integer from 0 to 9007199254740991"},
      {R"({"seed":18446744073709551615})", "'seed' must be an integer from 0 to 9007199254740991"},
      {R"({"seed":0.5})", "'seed' must be an integer from 0 to 9007199254740991"},
      {R"({"lr":1e300})", "'lr' must be a number"},
      {R"({"lr":"fast"})", "'lr' must be a number"},
      {R"({"augment":{"shift":1e300}})", "augment: 'shift' must be a number"},
  };
  for (const Case& k : cases) {
    CAPTURE(k.config);
    const auto c = dt::parse_start_config(k.config, 4);
    REQUIRE_FALSE(c.ok());
    CHECK(c.error().find(k.message) != std::string::npos);
  }
  // The bounds themselves are accepted.
  auto c = dt::parse_start_config(R"({"epochs":100000,"batch":65536,"threads":256,"seed":0})", 4);
  REQUIRE(c.ok());
  CHECK(c->preset.train.epochs == 100000);
  CHECK(c->preset.train.batch == 65536);
  CHECK(c->preset.train.threads == 4);  // then clamped to what the page can run
  CHECK(c->preset.train.seed == 0);
}

TEST_CASE("a session trains in slices, reports each epoch with the test confusion matrix, and snapshots weights") {
  dt::TrainingSession s;
  CHECK(s.start("{}", 1).error.find("not loaded") != std::string::npos);  // no data yet
  REQUIRE(add_bars(s, Bars(200), Bars(50)).ok());
  REQUIRE(s.start(R"({"preset":"mlp","epochs":2,"batch":20,"threads":1})", 1).ok());
  CHECK(s.running());

  const std::vector<json> epochs = run_to_end(s);
  CHECK_FALSE(s.running());
  REQUIRE(epochs.size() == 2);
  const json& last = epochs.back();
  CHECK(last["epoch"].get<int>() == 2);
  REQUIRE(last["confusion"].size() == 10);  // rows: the true class
  long total = 0, correct = 0;
  for (int truth = 0; truth < 10; ++truth) {
    REQUIRE(last["confusion"][truth].size() == 10);
    for (int predicted = 0; predicted < 10; ++predicted) total += last["confusion"][truth][predicted].get<long>();
    correct += last["confusion"][truth][truth].get<long>();
  }
  CHECK(total == 50);
  CHECK(double(correct) / total == doctest::Approx(last["testAccuracy"].get<double>()));
  CHECK(last["testAccuracy"].get<double>() > 0.9);  // bars are easy
  CHECK(last["valAccuracy"].is_number());           // mlp keeps 10% of the training set apart
  CHECK(s.test_predictions().size() == 50);

  const std::vector<uint8_t> w = s.weights();
  auto model = dt::load_safetensors(w.data(), w.size(), "snapshot");
  REQUIRE(model.ok());
  CHECK(model->classes() == 10);
}

// The worker says "evaluating" before the slice that evaluates (seconds in the page): each
// epoch report comes in the slice right after one that said the epoch ends next, and only then.
TEST_CASE("a session's slices say when the next one ends an epoch and evaluates") {
  dt::TrainingSession s;
  REQUIRE(add_bars(s, Bars(200), Bars(50)).ok());
  REQUIRE(s.start(R"({"preset":"mlp","epochs":3,"batch":20,"threads":1})", 1).ok());
  bool announced = false;
  int epochs = 0, announcements = 0;
  for (int guard = 0; guard < 10000; ++guard) {
    const json r = json::parse(s.run_for(1000.0));  // long enough to reach each epoch's end
    CHECK(r.contains("epoch") == announced);
    epochs += r.contains("epoch");
    announced = r["epochEndsNext"].get<bool>();
    announcements += announced;
    if (r["done"].get<bool>()) break;
  }
  CHECK(epochs == 3);
  CHECK(announcements == 3);
  CHECK_FALSE(announced);  // the last slice ended the run: nothing follows
}

TEST_CASE("a run without a validation split reports no validation value, not a zero") {
  dt::TrainingSession s;
  REQUIRE(add_bars(s, Bars(200), Bars(50)).ok());
  REQUIRE(s.start(R"({"preset":"fast","epochs":1,"batch":20,"threads":1})", 1).ok());  // fast: no split
  const std::vector<json> epochs = run_to_end(s);
  REQUIRE(epochs.size() == 1);
  CHECK(epochs[0]["valAccuracy"].is_null());
  CHECK(epochs[0]["valLoss"].is_null());
  CHECK(epochs[0]["testAccuracy"].is_number());
}

// In the page, start({preset:'mlp', lr:1e6, optimizer:'sgd'}) once ended "done" with NaN weights
// that the page then kept: now the slice says why it stopped, and the weights stay finite.
TEST_CASE("a diverging session ends with an error naming the step, and its weights stay finite") {
  dt::TrainingSession s;
  REQUIRE(add_bars(s, Bars(200), Bars(50)).ok());
  REQUIRE(s.start(R"({"preset":"mlp","epochs":2,"batch":20,"threads":1,"lr":1e6,"optimizer":"sgd"})", 1).ok());
  json last;
  for (int guard = 0; guard < 1000; ++guard) {
    last = json::parse(s.run_for(5.0));
    if (last["done"].get<bool>()) break;
  }
  REQUIRE(last["done"].get<bool>());
  REQUIRE(last.contains("error"));
  CHECK(last["error"].get<std::string>().find("diverged at step") != std::string::npos);
  CHECK(last["error"].get<std::string>().find("smaller learning rate") != std::string::npos);
  CHECK_FALSE(s.running());
  const std::vector<uint8_t> w = s.weights();
  CHECK(dt::load_safetensors(w.data(), w.size(), "snapshot").ok());  // a NaN tensor would be refused
}

TEST_CASE("a session continues from saved weights of the same model, and refuses others") {
  dt::TrainingSession s;
  REQUIRE(add_bars(s, Bars(200), Bars(50)).ok());
  REQUIRE(s.start(R"({"preset":"mlp","epochs":2,"batch":20,"threads":1})", 1).ok());
  run_to_end(s);
  const std::vector<uint8_t> saved = s.weights();

  // Continuing: the first epoch is already as good as the end of the first run.
  REQUIRE(s.start(R"({"preset":"mlp","epochs":1,"batch":20,"threads":1,"lr":1e-6})", 1,
                  {saved.data(), saved.size()}).ok());
  const std::vector<json> epochs = run_to_end(s);
  REQUIRE(epochs.size() == 1);
  CHECK(epochs[0]["testAccuracy"].get<double>() > 0.9);

  const dt::Status other = s.start(R"({"preset":"keras-cnn","epochs":1})", 1, {saved.data(), saved.size()});
  CHECK(other.error.find("different model") != std::string::npos);
  const std::vector<uint8_t> junk(100, 7);
  CHECK_FALSE(s.start(R"({"preset":"mlp"})", 1, {junk.data(), junk.size()}).ok());
}

TEST_CASE("bad data files give messages that name the set") {
  dt::TrainingSession s;
  Bars train(20), test(10);
  train.labels.resize(train.labels.size() - 3);  // truncated labels
  const dt::Status st = add_bars(s, train, test);
  CHECK_FALSE(st.ok());
  CHECK(st.error.find("mnist training set") != std::string::npos);
  CHECK_FALSE(s.has_dataset("mnist"));
}

TEST_CASE("a session reports the settings it really uses") {
  dt::TrainingSession s;
  CHECK(s.settings_json() == "{}");
  REQUIRE(add_bars(s, Bars(40), Bars(10)).ok());
  REQUIRE(s.start(R"({"preset":"mlp","batch":8,"threads":9,"augment":true})", 1).ok());
  const json j = json::parse(s.settings_json());
  CHECK(j["preset"] == "mlp");
  CHECK(j["dataset"] == "mnist");
  CHECK(j["batch"] == 8);
  CHECK(j["epochs"] == 10);       // the preset's
  CHECK(j["optimizer"] == "adam");
  CHECK(j["threads"] == 1);       // clamped to what the page can run
  CHECK(j["augment"]["rotate"].get<double>() == doctest::Approx(10.0));
  CHECK_FALSE(j["augment"].contains("elastic"));  // written only when used
  REQUIRE(s.start(R"({"preset":"mlp","augment":{"elastic":30,"elastic_sigma":5}})", 1).ok());
  const json e = json::parse(s.settings_json())["augment"];
  CHECK(e["elastic"].get<double>() == doctest::Approx(30.0));
  CHECK(e["elastic_sigma"].get<double>() == doctest::Approx(5.0));
}

TEST_CASE("a batch too big for the memory is refused at start with the batch that fits, and nothing is allocated") {
  dt::TrainingSession s;
  const Bars train(100), test(20);
  REQUIRE(add_bars(s, train, test).ok());
  // keras-cnn at the largest batch the start config takes needs tens of gigabytes: in wasm its
  // sizes once wrapped past 32 bits.
  const dt::Status big = s.start(R"({"preset": "keras-cnn", "batch": 65536, "threads": 1})", 1);
  REQUIRE_FALSE(big.ok());
  CHECK(big.error.find("batch 65536 needs about") != std::string::npos);
  CHECK(big.error.find("use a batch of") != std::string::npos);
  CHECK_FALSE(s.running());
  // The session is untouched: a sensible run starts next.
  CHECK(s.start(R"({"preset": "keras-cnn", "batch": 32, "threads": 1, "epochs": 1})", 1).ok());
  CHECK(s.running());
}

// A reload in the page: the run's checkpoint, taken mid-epoch after a learning-rate change,
// is resumed by a new session (another worker) and ends exactly where the uninterrupted run
// does.
TEST_CASE("a session checkpointed mid-epoch and resumed in a new session reaches the same weights") {
  const Bars train(200), test(50);
  const std::string config = R"({"preset":"mlp","epochs":2,"batch":20,"threads":1,"augment":true,"lr":0.002})";
  auto steps = [](dt::TrainingSession& s, int n) {
    for (int i = 0; i < n; ++i) REQUIRE(json::parse(s.run_for(0.0)).contains("progress"));  // a zero budget: one step
  };

  dt::TrainingSession straight;
  REQUIRE(add_bars(straight, train, test).ok());
  REQUIRE(straight.start(config, 1).ok());
  steps(straight, 3);
  straight.set_lr(0.001f);
  const std::vector<json> expected = run_to_end(straight);

  std::vector<uint8_t> checkpoint;
  {
    dt::TrainingSession first;
    REQUIRE(add_bars(first, train, test).ok());
    CHECK(first.checkpoint().empty());  // no run yet
    REQUIRE(first.start(config, 1).ok());
    steps(first, 3);
    first.set_lr(0.001f);
    steps(first, 2);  // 5 of the epoch's 9 steps (180 training images, 20 kept for validation)
    checkpoint = first.checkpoint();
  }
  auto model = dt::load_safetensors(checkpoint.data(), checkpoint.size(), "checkpoint");
  CHECK_MESSAGE(model.ok(), model.error());  // also a model file
  CHECK(dt::TrainingSession::checkpoint_dataset({checkpoint.data(), checkpoint.size()}).value() == "mnist");

  dt::TrainingSession resumed;
  const dt::Status no_data = resumed.resume({checkpoint.data(), checkpoint.size()}, 1);
  CHECK_MESSAGE(no_data.error.find("the mnist dataset, which is not loaded") != std::string::npos, no_data.error);
  REQUIRE(add_bars(resumed, train, test).ok());
  const dt::Status ok = resumed.resume({checkpoint.data(), checkpoint.size()}, 1);
  REQUIRE_MESSAGE(ok.ok(), ok.error);
  CHECK(resumed.running());
  CHECK(json::parse(resumed.settings_json())["lr"].get<double>() == doctest::Approx(0.002));  // the start config's
  const std::vector<json> epochs = run_to_end(resumed);
  REQUIRE(epochs.size() == expected.size());
  CHECK(epochs.back().dump() == expected.back().dump());  // losses, accuracies, confusion: all equal
  CHECK(resumed.weights() == straight.weights());         // bit-identical
}

TEST_CASE("resume refuses what is not a session's checkpoint, and leaves no run") {
  dt::TrainingSession s;
  REQUIRE(add_bars(s, Bars(200), Bars(50)).ok());
  REQUIRE(s.start(R"({"preset":"mlp","epochs":1,"batch":20,"threads":1})", 1).ok());
  const std::vector<uint8_t> weights = s.weights();
  std::vector<uint8_t> checkpoint = s.checkpoint();
  REQUIRE_FALSE(checkpoint.empty());
  const dt::Status plain = s.resume({weights.data(), weights.size()}, 1);
  CHECK_MESSAGE(plain.error.find("no start config") != std::string::npos, plain.error);
  const std::vector<uint8_t> junk(100, 7);
  CHECK_FALSE(s.resume({junk.data(), junk.size()}, 1).ok());
  CHECK_FALSE(s.resume({}, 1).ok());
  CHECK_FALSE(s.running());
  CHECK(s.checkpoint().empty());

  // A checkpoint whose tensors were cut off after its start config (in the header).
  REQUIRE(s.start(R"({"preset":"mlp","epochs":1,"batch":20,"threads":1})", 1).ok());
  checkpoint.resize(checkpoint.size() - 8);
  const dt::Status cut = s.resume({checkpoint.data(), checkpoint.size()}, 1);
  CHECK_FALSE(cut.ok());
  CHECK_FALSE(s.running());
  CHECK(s.checkpoint().empty());
}

TEST_CASE("start configs: an architecture replaces the preset's layers, and is checked before anything is built") {
  auto c = dt::parse_start_config(
      R"({"preset":"fast","architecture":{"input":[28,28,1],"layers":[{"type":"flatten"},{"type":"dense","units":10}]}})", 1);
  REQUIRE(c.ok());
  CHECK(c->preset.name == "fast");  // the preset's recipe
  CHECK(dt::describe(c->preset.model) == "flatten, dense 10");
  const auto error = [](const std::string& architecture) {
    return dt::parse_start_config(R"({"architecture":)" + architecture + "}", 1).error();
  };
  CHECK(error("\"dense 10\"").find("'architecture' must be an object") != std::string::npos);
  CHECK(error(R"({"input":[28,28,1],"layers":[{"type":"conv3d"}]})").find("unknown layer type 'conv3d'") != std::string::npos);
  CHECK(error(R"({"input":[8,8,1],"layers":[{"type":"flatten"},{"type":"dense","units":10}]})").find("8x8x1") !=
        std::string::npos);
  CHECK(error(R"({"input":[28,28,1],"layers":[{"type":"flatten"},{"type":"dense","units":3}]})").find("gives 3 values") !=
        std::string::npos);
  // A trillion-weight layer is refused by counting, not by trying to allocate it.
  const std::string huge = error(
      R"({"input":[28,28,1],"layers":[{"type":"flatten"},{"type":"dense","units":1000000},{"type":"dense","units":1000000}]})");
  // Natively the first dense layer fits and the second does not; in wasm's smaller budget
  // already the first is too big.
  CHECK(huge.find(" (dense 1000000) takes the model past") != std::string::npos);
  CHECK(huge.find("more than fit in memory") != std::string::npos);
}

TEST_CASE("a model file is evaluated on its dataset's test set without touching the run") {
  const Bars train(200), test(50);
  dt::TrainingSession trained;
  REQUIRE(add_bars(trained, train, test).ok());
  REQUIRE(trained.start(R"({"preset":"mlp","epochs":2,"seed":3,"threads":1})", 1).ok());
  run_to_end(trained);
  const std::vector<uint8_t> file = trained.weights();

  dt::TrainingSession s;
  REQUIRE(add_bars(s, train, test).ok());
  CHECK(dt::TrainingSession::model_file_dataset({file.data(), file.size()}, "m.safetensors").value() == "mnist");
  const json r = json::parse(s.evaluate_model({file.data(), file.size()}, "m.safetensors", 1));
  REQUIRE_FALSE(r.contains("error"));
  CHECK(r["preset"] == "mlp");
  CHECK(r["dataset"] == "mnist");
  CHECK(r["layers"] == "flatten, dense 100, relu, dense 100, relu, dense 10");
  CHECK(r["parameters"] == 89610);
  CHECK(r["settings"]["epochs"] == 10);  // the mlp recipe Continue would train with
  CHECK(r["epoch"]["testAccuracy"].get<double>() > 0.9);
  long counted = 0;
  for (const auto& row : r["epoch"]["confusion"])
    for (const auto& n : row) counted += n.get<long>();
  CHECK(counted == 50);
  CHECK(s.test_predictions().size() == 50);
  CHECK(s.test_probabilities().size() == 500);
  CHECK_FALSE(s.running());  // evaluating started no run
  // Its architecture, given back as a start config, trains from the file's weights.
  const std::string config = json{{"preset", "mlp"}, {"epochs", 1}, {"architecture", r["architecture"]}}.dump();
  CHECK(s.start(config, 1, {file.data(), file.size()}).ok());

  // Not a model, foreign, or for another dataset: a message, and nothing evaluated.
  const std::vector<uint8_t> junk{1, 2, 3};
  const std::string junk_error = json::parse(s.evaluate_model({junk.data(), junk.size()}, "junk.bin", 1))["error"];
  CHECK(junk_error.rfind("junk.bin: ", 0) == 0);
  CHECK(junk_error.find("too short") != std::string::npos);
  CHECK(s.test_predictions().empty());
  dt::TrainingSession no_data;
  CHECK(json::parse(no_data.evaluate_model({file.data(), file.size()}, "m.safetensors", 1))["error"] ==
        "m.safetensors: the mnist dataset is not loaded");
}

TEST_CASE("the Quantise button's work: a model file as int8, both tested, the int8 file kept") {
  const Bars train(200), test(50);
  dt::TrainingSession s;
  REQUIRE(add_bars(s, train, test).ok());
  REQUIRE(s.start(R"({"preset":"fast","epochs":1,"seed":3,"threads":1,"batch":16})", 1).ok());
  run_to_end(s);
  const std::vector<uint8_t> file = s.weights();

  const json r = json::parse(s.quantize_model({file.data(), file.size()}, "the fast model", 1));
  REQUIRE_FALSE(r.contains("error"));
  CHECK(r["dataset"] == "mnist");
  CHECK(r["calibration"] == 200);  // all of a training set smaller than the 500 asked for
  CHECK(r["floatBytes"] == file.size());
  CHECK(r["int8Bytes"] == s.quantized().size());
  // Weights a quarter of the size; the architecture and scales are the rest.
  CHECK(r["int8Bytes"].get<double>() < 0.3 * file.size());
  CHECK(r["floatAccuracy"].get<double>() > 0.9);
  CHECK(std::abs(r["int8Accuracy"].get<double>() - r["floatAccuracy"].get<double>()) <= 0.02 + 1e-9);  // one image of 50
  CHECK(r["floatUs"].get<double>() > 0);
  CHECK(r["int8Us"].get<double>() > 0);
  REQUIRE(dt::is_quantized_file(s.quantized().data(), s.quantized().size()));
  CHECK(dt::load_quantized(s.quantized().data(), s.quantized().size(), "int8").ok());
  const std::vector<uint8_t> int8 = s.quantized();

  // What is wrong is said, starting with the name, and no file is left behind.
  const std::vector<uint8_t> junk{1, 2, 3};
  const std::string junk_error = json::parse(s.quantize_model({junk.data(), junk.size()}, "the model", 1))["error"];
  CHECK(junk_error.rfind("the model: ", 0) == 0);
  CHECK(s.quantized().empty());
  // An int8 file is not quantised again.
  const std::string again = json::parse(s.quantize_model({int8.data(), int8.size()}, "m8", 1))["error"];
  CHECK(again.find("int8 model") != std::string::npos);
  dt::TrainingSession no_data;
  CHECK(json::parse(no_data.quantize_model({file.data(), file.size()}, "m", 1))["error"] == "m: the mnist dataset is not loaded");
}
