#include "app/worker_messages.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <string>
#include <type_traits>
#include <vector>

#include <nlohmann/json.hpp>

#include "app/network_draft.h"
#include "app/train_settings.h"
#include "protocol/protocol.h"
#include "recipe/presets.h"
#include "recipe/train_config.h"

namespace dt {

namespace {

using nlohmann::json;

// A message's fields as the UI reads them: a missing or null field keeps its fallback, and the
// first field of the wrong type is remembered, so that the message is ignored whole rather than
// half applied.
class Fields {
 public:
  explicit Fields(const json& object) : j_(object) {}

  template <class T>
  T number(const char* key, T fallback) {
    const json* v = find(key);
    if (!v) return fallback;
    if (!v->is_number()) return wrong(key, "a number", fallback);
    const double x = v->get<double>();
    if constexpr (std::is_integral_v<T>) {
      // The bounds as doubles: max() + 1 is a power of two, exact where max() itself is not.
      if (!(x >= static_cast<double>(std::numeric_limits<T>::lowest()) &&
            x < static_cast<double>(std::numeric_limits<T>::max()) + 1.0))
        return wrong(key, "a number in range", fallback);
    }
    return static_cast<T>(x);
  }
  bool boolean(const char* key, bool fallback) {
    const json* v = find(key);
    if (!v) return fallback;
    return v->is_boolean() ? v->get<bool>() : wrong(key, "true or false", fallback);
  }
  std::string text(const char* key, std::string fallback) {
    const json* v = find(key);
    if (!v) return fallback;
    return v->is_string() ? v->get<std::string>() : wrong(key, "a string", fallback);
  }
  // The field if it is an object (or an array), nullptr if it is missing; wrong otherwise.
  const json* object(const char* key) { return structured(key, &json::is_object, "an object"); }
  const json* array(const char* key) { return structured(key, &json::is_array, "an array"); }

  void fail(std::string message) {
    if (error_.empty()) error_ = std::move(message);
  }
  bool ok() const { return error_.empty(); }
  const std::string& error() const { return error_; }

 private:
  const json* find(const char* key) const {
    auto it = j_.find(key);
    return it == j_.end() || it->is_null() ? nullptr : &*it;
  }
  template <class T>
  T wrong(const char* key, const char* what, T fallback) {
    fail(std::string("'") + key + "' must be " + what);
    return fallback;
  }
  const json* structured(const char* key, bool (json::*is)() const noexcept, const char* what) {
    const json* v = find(key);
    if (!v || (v->*is)()) return v;
    return wrong(key, what, static_cast<const json*>(nullptr));
  }

  const json& j_;
  std::string error_;
};

Status read_progress(const json& m, Progress* out) {
  Fields f(m);
  Progress& p = *out;
  p.epoch = f.number("epoch", 0);
  p.epochs = f.number("epochs", 0);
  p.step = f.number("step", 0L);
  p.step_in_epoch = f.number("stepInEpoch", 0L);
  p.steps_per_epoch = f.number("stepsPerEpoch", 0L);
  p.total_steps = f.number("totalSteps", 0L);
  p.samples_seen = f.number("samplesSeen", 0L);
  p.loss = f.number("loss", 0.0f);
  p.epoch_loss = f.number("epochLoss", 0.0f);
  p.train_accuracy = f.number("trainAccuracy", 0.0f);
  p.lr = f.number("lr", 0.0f);
  p.samples_per_second = f.number("samplesPerSecond", 0.0);
  p.eta_seconds = f.number("etaSeconds", 0.0);
  p.threads = f.number("threads", 0);
  return f.ok() ? Status::success() : fail(f.error());
}

Status apply_progress(AppState& app, const json& m) {
  Progress p;
  if (Status s = read_progress(m, &p); !s) return s;
  app.progress = p;
  History& h = app.history;
  h.step.push_back(static_cast<float>(p.step));
  h.loss.push_back(p.epoch_loss);
  h.accuracy.push_back(p.train_accuracy);
  // [layer, mean |w|, mean |grad|] per weighted layer; a malformed entry is skipped.
  const auto stats = m.find("layerStats");
  if (stats != m.end() && stats->is_array())
    for (const json& s : *stats) {
      if (!s.is_array() || s.size() != 3 || !s[0].is_number_integer() || !s[1].is_number() || !s[2].is_number()) continue;
      History::LayerCurves& c = h.layers[s[0].get<int>()];
      const float w = s[1].get<float>(), g = s[2].get<float>();
      c.step.push_back(static_cast<float>(p.step));
      c.weight.push_back(w);
      c.ratio.push_back(w > 0 ? g / w : 0.0f);
    }
  return Status::success();
}

// The Train panel shows what the running session really uses, however it was started
// (the panel, window.digitrain.start, or Continue).
Status read_settings(const json& s, const std::vector<std::string>& datasets, TrainSettings* t) {
  Fields f(s);
  // Another preset's run: what the settings leave out (a run saved before the page sent them
  // all) is that preset's, not the panel's previous choice.
  const int preset = preset_index(f.text("preset", ""));
  if (preset >= 0 && preset != t->preset) {
    t->preset = preset;
    const std::string architecture = t->architecture;
    apply_preset_defaults(*t);
    t->architecture = architecture;  // the layers are the message's business, not the settings'
  }
  const std::string dataset = f.text("dataset", "");
  for (size_t i = 0; i < datasets.size(); ++i)
    if (datasets[i] == dataset) t->dataset = static_cast<int>(i);
  const std::string optimizer = f.text("optimizer", "");
  if (!optimizer.empty()) {
    Result<OptimizerKind> kind = parse_optimizer(optimizer);
    if (kind) t->optimizer = *kind;
    else f.fail(kind.error());
  }
  const std::string schedule = f.text("schedule", "");
  if (!schedule.empty()) {
    Result<ScheduleKind> kind = parse_schedule(schedule);
    if (kind) t->schedule = *kind;
    else f.fail(kind.error());
  }
  const std::string loss = f.text("loss", "");
  if (!loss.empty()) {
    Result<LossKind> kind = parse_loss(loss);
    if (kind) t->loss = *kind;
    else f.fail(kind.error());
  }
  t->epochs = f.number("epochs", t->epochs);
  t->batch = f.number("batch", t->batch);
  t->lr = f.number("lr", t->lr);
  t->momentum = f.number("momentum", t->momentum);
  t->focal_gamma = f.number("focal_gamma", t->focal_gamma);
  t->label_smoothing = f.number("label_smoothing", t->label_smoothing);
  t->l1 = f.number("l1", t->l1);
  t->l2 = f.number("l2", t->l2);
  t->val = f.number("val", t->val);
  t->patience = f.number("patience", t->patience);
  if (const json* a = f.object("augment")) {
    Fields aug(*a);
    Augment amounts;
    amounts.rotate_degrees = aug.number("rotate", 0.0f);
    amounts.scale = aug.number("scale", 0.0f);
    amounts.shift = aug.number("shift", 0.0f);
    amounts.elastic_alpha = aug.number("elastic", 0.0f);
    amounts.elastic_sigma = aug.number("elastic_sigma", amounts.elastic_sigma);
    t->augment = amounts.enabled();
    if (t->augment) t->amounts = amounts;  // off keeps the amounts the panel would turn on
    if (!aug.ok()) f.fail("augment: " + aug.error());
  }
  return f.ok() ? Status::success() : fail("settings: " + f.error());
}

// A run continued exactly (`exact`: from its checkpoint) is the run on screen going on: its
// curves and confusion matrix stay.
Status apply_started(AppState& app, const json& m) {
  Fields f(m);
  TrainSettings settings = app.settings;
  if (const json* s = f.object("settings")) {
    if (Status st = read_settings(*s, app.datasets, &settings); !st) f.fail(st.error);
  }
  const bool exact = f.boolean("exact", false);
  // The layers the run trains: the config's own architecture, or the preset's.
  std::string architecture;
  if (const json* c = f.object("config")) {
    if (c->contains("architecture") && (*c)["architecture"].is_object()) architecture = (*c)["architecture"].dump();
  }
  if (!f.ok()) return fail(f.error());
  app.settings = settings;
  if (architecture.empty()) {
    app.network.preset = -1;  // back to the preset's layers
    sync_network_draft(app);
  } else if (Status s = take_network_architecture(app, architecture); !s) {
    return s;
  }
  app.network.run_flops = app.network.summary.flops;
  app.model_dataset = app.datasets[settings.dataset];
  app.restored.clear();
  app.notice.clear();
  app.can_continue = false;
  app.evaluating_epoch = 0;
  if (!exact) {
    app.shown_run = 0;
    app.history.clear();
    app.has_confusion = false;
    app.test.predicted.clear();
  }
  return Status::success();
}

// `confusion`: 10 rows (true class) of 10 counts (predicted class).
Status read_confusion(const json& rows, ConfusionMatrix* cm) {
  // More than any test set holds; the bound keeps a corrupt message from stalling the UI.
  constexpr long kMaxTotal = 10'000'000;
  const int k = ConfusionMatrix::K;
  const std::string shape = "'confusion' must be " + std::to_string(k) + " rows of " + std::to_string(k) + " counts";
  if (!rows.is_array() || static_cast<int>(rows.size()) != k) return fail(shape);
  long total = 0;
  for (int i = 0; i < k; ++i) {
    if (!rows[i].is_array() || static_cast<int>(rows[i].size()) != k) return fail(shape);
    for (int j = 0; j < k; ++j) {
      const json& c = rows[i][j];
      if (!c.is_number_integer() || c.get<long>() < 0) return fail(shape + " (whole numbers, not negative)");
      total += c.get<long>();
      if (total > kMaxTotal) return fail("'confusion' counts more samples than any test set");
    }
  }
  *cm = ConfusionMatrix{};
  for (int i = 0; i < k; ++i)
    for (int j = 0; j < k; ++j)
      for (long c = rows[i][j].get<long>(); c > 0; --c) cm->add(i, j);
  return Status::success();
}

// An epoch report's fields, read whole before any is applied.
struct EpochReport {
  int epoch = 0;
  bool has_validation = false;  // valAccuracy is null (or absent) when the run has no validation split
  float val_loss = 0, val_accuracy = 0;
  double test_accuracy = 0, kappa = 0, macro_f1 = 0;
  ConfusionMatrix confusion;
  bool has_confusion = false;
};

Status read_epoch(const json& m, EpochReport* e) {
  Fields f(m);
  e->epoch = f.number("epoch", 0);
  e->has_validation = m.contains("valAccuracy") && !m["valAccuracy"].is_null();
  e->val_loss = f.number("valLoss", 0.0f);
  e->val_accuracy = f.number("valAccuracy", 0.0f);
  e->test_accuracy = f.number("testAccuracy", 0.0);
  e->kappa = f.number("kappa", 0.0);
  e->macro_f1 = f.number("macroF1", 0.0);
  if (const json* rows = f.array("confusion")) {
    if (Status s = read_confusion(*rows, &e->confusion); !s) f.fail(s.error);
    e->has_confusion = true;
  }
  return f.ok() ? Status::success() : fail(f.error());
}

// The epoch's test metrics become the ones shown (not its point on the curves).
void show_epoch(AppState& app, const EpochReport& e) {
  app.test_accuracy = e.test_accuracy;
  app.kappa = e.kappa;
  app.macro_f1 = e.macro_f1;
  if (e.has_confusion) {
    app.confusion = e.confusion;
    app.has_confusion = true;
  }
}

Status apply_epoch(AppState& app, const json& m) {
  EpochReport e;
  if (Status s = read_epoch(m, &e); !s) return s;
  app.evaluating_epoch = 0;
  History& h = app.history;
  h.epoch.push_back(static_cast<float>(e.epoch));
  h.test_accuracy.push_back(static_cast<float>(e.test_accuracy));
  if (e.has_validation) {
    h.val_epoch.push_back(static_cast<float>(e.epoch));
    h.val_loss.push_back(e.val_loss);
    h.val_accuracy.push_back(e.val_accuracy);
  }
  show_epoch(app, e);
  return Status::success();
}

// More points than the page ever keeps (web/curves.js keeps ~1000, web/run_record.js accepts
// 5000): a corrupt message cannot make the UI draw millions.
constexpr size_t kMaxCurvePoints = 5000;

// A run's curves as the page keeps them (web/curves.js): {step, loss, accuracy} per progress
// report, {testEpoch, testAccuracy} per epoch and {valEpoch, valLoss, valAccuracy} per epoch with a
// validation split: arrays of numbers of equal length in each group.
Status read_curves(const json& c, History* h) {
  Fields f(c);
  struct Column {
    const char* key;
    std::vector<float>* out;
    const char* group_first;  // the group's first key, whose length the others must have
  };
  const Column columns[] = {{"step", &h->step, "step"},
                            {"loss", &h->loss, "step"},
                            {"accuracy", &h->accuracy, "step"},
                            {"testEpoch", &h->epoch, "testEpoch"},
                            {"testAccuracy", &h->test_accuracy, "testEpoch"},
                            {"valEpoch", &h->val_epoch, "valEpoch"},
                            {"valLoss", &h->val_loss, "valEpoch"},
                            {"valAccuracy", &h->val_accuracy, "valEpoch"}};
  size_t group_size = 0;
  for (const Column& col : columns) {
    const json* a = f.array(col.key);
    if (!f.ok()) break;
    col.out->clear();
    if (a) {
      if (a->size() > kMaxCurvePoints)
        return fail(std::string("curves: '") + col.key + "' has more than " + std::to_string(kMaxCurvePoints) + " points");
      for (const json& v : *a) {
        if (!v.is_number() || !std::isfinite(v.get<double>()))
          return fail(std::string("curves: '") + col.key + "' must be numbers");
        col.out->push_back(v.get<float>());
      }
    }
    if (std::strcmp(col.key, col.group_first) == 0) group_size = col.out->size();
    else if (col.out->size() != group_size)
      return fail(std::string("curves: '") + col.key + "' and '" + col.group_first + "' differ in length");
  }
  return f.ok() ? Status::success() : fail("curves: " + f.error());
}

// The epoch's training is done; its evaluation takes seconds, with no progress meanwhile.
Status apply_evaluating(AppState& app, const json& m) {
  Fields f(m);
  const int epoch = f.number("epoch", 0);
  if (!f.ok()) return fail(f.error());
  app.evaluating_epoch = epoch;
  return Status::success();
}

Status apply_ready(AppState& app, const json& m) {
  Fields f(m);
  const bool isolated = f.boolean("crossOriginIsolated", false);
  const int max_threads = f.number("maxThreads", 1);
  std::vector<std::string> datasets;
  if (const json* list = f.array("datasets")) {
    for (const json& d : *list) {
      if (d.is_string()) datasets.push_back(d.get<std::string>());
      else f.fail("'datasets' must be names");
    }
  }
  std::vector<double> bytes;
  if (const json* list = f.array("datasetBytes")) {
    for (const json& b : *list) {
      if (b.is_number() && b.get<double>() >= 0) bytes.push_back(b.get<double>());
      else f.fail("'datasetBytes' must be sizes in bytes");
    }
    if (bytes.size() != datasets.size()) f.fail("'datasetBytes' must have one size per dataset");
  }
  if (!f.ok()) return fail(f.error());
  app.worker_ready = true;
  app.isolated = isolated;
  app.max_threads = max_threads;
  if (!datasets.empty()) app.datasets = datasets;
  app.dataset_bytes = bytes;
  return Status::success();
}

Status apply_loading(AppState& app, const json& m) {
  Fields f(m);
  const std::string dataset = f.text("dataset", ""), file = f.text("file", "");
  const double loaded = f.number("loaded", 0.0), total = f.number("total", 0.0);
  if (!f.ok()) return fail(f.error());
  app.state = RunState::loading;
  app.loading_dataset = dataset;
  app.loading_file = file;
  app.loading_bytes = loaded;
  app.loading_total = total;
  return Status::success();
}

Status apply_state(AppState& app, const json& m) {
  Fields f(m);
  const std::string name = f.text("state", "");
  if (!f.ok()) return fail(f.error());
  Result<RunState> state = parse_run_state(name);
  if (!state) return fail(state.error());
  app.state = *state;
  if (app.state == RunState::training) app.error.clear();
  else app.evaluating_epoch = 0;
  return Status::success();
}

Status apply_error(AppState& app, const json& m) {
  Fields f(m);
  const std::string message = f.text("message", "unknown error");
  if (!f.ok()) return fail(f.error());
  app.state = RunState::error;
  app.error = message;
  return Status::success();
}

// A run saved before the reload, or a past run reopened, becomes the run on screen: the Train
// panel shows its settings (so that Continue trains on with them), its last progress, test
// metrics and curves; `resumable` runs stopped mid-way and continue exactly where they were.
// A reopened run whose weights were not kept (`hasWeights` false) shows all but its model.
Status apply_restored(AppState& app, const json& m) {
  Fields f(m);
  const std::string preset = f.text("preset", "saved");
  const bool resumable = f.boolean("resumable", false);
  const bool reopened = f.boolean("reopened", false), has_weights = f.boolean("hasWeights", true);
  const int64_t id = f.number("id", int64_t{0});
  const long step = f.number("step", 0L), total = f.number("totalSteps", 0L);
  std::string opened;  // a model file's name, its layers and parameter count
  if (const json* o = f.object("opened")) {
    Fields of(*o);
    opened = "opened " + of.text("name", "a model file") + " (" + of.text("layers", "") + "; " +
             std::to_string(of.number("parameters", 0L)) + " parameters); Continue trains it on with the " + preset + " recipe";
    if (!of.ok()) f.fail("opened: " + of.error());
  }
  TrainSettings settings = app.settings;
  if (const json* s = f.object("settings")) {
    if (Status st = read_settings(*s, app.datasets, &settings); !st) f.fail(st.error);
  }
  Progress progress;
  const json* pj = f.object("progress");
  if (pj) {
    if (Status st = read_progress(*pj, &progress); !st) f.fail("progress: " + st.error);
  }
  EpochReport epoch;
  const json* ej = f.object("epoch");
  if (ej) {
    if (Status st = read_epoch(*ej, &epoch); !st) f.fail("epoch: " + st.error);
  }
  History curves;
  const json* cj = f.object("curves");
  if (cj) {
    if (Status st = read_curves(*cj, &curves); !st) f.fail(st.error);
  }
  std::string architecture;  // a model's own layers (an opened file's, a custom run's)
  if (const json* a = f.object("architecture")) architecture = a->dump();
  if (!f.ok()) return fail(f.error());

  app.settings = settings;
  if (!architecture.empty()) {
    if (Status s = take_network_architecture(app, architecture); !s) return s;
  }
  if (has_weights) app.model_dataset = app.datasets[settings.dataset];  // else the pad keeps its model
  app.progress = progress;
  app.has_confusion = false;
  app.test_accuracy = app.kappa = app.macro_f1 = 0;
  app.test.predicted.clear();  // the per-image predictions were another model's
  if (ej) show_epoch(app, epoch);
  if (cj) {
    app.history = std::move(curves);
  } else {  // a page before curves were kept: the last report and the last epoch
    app.history.clear();
    if (pj) apply_progress(app, *pj);
    if (ej) apply_epoch(app, *ej);
  }
  app.shown_run = id;
  app.can_continue = resumable || has_weights;
  app.notice.clear();
  if (!opened.empty())
    app.restored = opened;
  else if (reopened)
    app.restored = has_weights ? "reopened the past " + preset + " run; Continue trains on from its weights"
                               : "reopened the past " + preset + " run: its curves and settings only (its weights were too large "
                                 "to keep), so the pad keeps the model it had";
  else
    app.restored = resumable ? "restored the " + preset + " run stopped at step " + std::to_string(step) + " of " +
                                   std::to_string(total) + "; Continue trains on exactly from there"
                             : "restored the " + preset + " model saved before the reload";
  return Status::success();
}

// A past run as the page lists it (web/past_runs.js).
Status read_past_run(const json& r, PastRun* out) {
  if (!r.is_object()) return fail("each run must be an object");
  Fields f(r);
  PastRun& p = *out;
  p.id = f.number("id", int64_t{0});
  p.saved_at = f.number("savedAt", 0.0);
  p.ended = f.text("ended", "");
  p.dataset = f.text("dataset", "");
  p.preset = f.text("preset", "");
  p.optimizer = f.text("optimizer", "");
  p.lr = f.number("lr", 0.0f);
  p.batch = f.number("batch", 0);
  p.epochs = f.number("epochs", 0);
  p.augment = f.boolean("augment", false);
  p.epochs_done = f.number("epochsDone", 0);
  p.test_accuracy = f.number("testAccuracy", -1.0);
  p.seconds = f.number("seconds", 0.0);
  p.samples_per_second = f.number("samplesPerSecond", 0.0);
  p.steps_per_epoch = f.number("stepsPerEpoch", 0L);
  p.has_weights = f.boolean("hasWeights", false);
  p.weights_size = f.number("weightsSize", 0L);
  if (const json* c = f.object("curves")) {
    if (Status s = read_curves(*c, &p.curves); !s) f.fail(s.error);
  }
  if (f.ok() && p.id <= 0) f.fail("'id' must be a run's id (a positive number)");
  return f.ok() ? Status::success() : fail(f.error());
}

// The past runs kept in the browser, newest first; the runs compared stay so while kept.
Status apply_history(AppState& app, const json& m) {
  // More than the page keeps (10): a bound on what a corrupt message can make the UI hold.
  constexpr size_t kMaxRuns = 100;
  Fields f(m);
  std::vector<PastRun> runs;
  if (const json* list = f.array("runs")) {
    if (list->size() > kMaxRuns) return fail("'runs' lists more than " + std::to_string(kMaxRuns) + " runs");
    for (const json& r : *list) {
      PastRun p;
      if (Status s = read_past_run(r, &p); !s) return fail("runs: " + s.error);
      runs.push_back(std::move(p));
    }
  }
  if (!f.ok()) return fail(f.error());
  app.past_runs = std::move(runs);
  std::vector<int64_t>& compared = app.runs_panel.compared;
  compared.erase(std::remove_if(compared.begin(), compared.end(),
                                [&](int64_t id) {
                                  return std::none_of(app.past_runs.begin(), app.past_runs.end(),
                                                      [&](const PastRun& r) { return r.id == id; });
                                }),
                 compared.end());
  return Status::success();
}

Status apply_notice(AppState& app, const json& m) {
  Fields f(m);
  const std::string message = f.text("message", "");
  if (!f.ok()) return fail(f.error());
  app.notice = message;
  return Status::success();
}

// The answer to the Quantise button: what the int8 model (already handed to the Inference by
// app_set_int8) measured, or why there is none.
Status apply_quantize(AppState& app, const json& m) {
  Fields f(m);
  Int8Report r;
  r.error = f.text("error", "");
  if (r.error.empty()) {
    r.calibration = f.number("calibration", 0);
    r.float_accuracy = f.number("floatAccuracy", 0.0);
    r.int8_accuracy = f.number("int8Accuracy", 0.0);
    r.float_bytes = f.number("floatBytes", 0L);
    r.int8_bytes = f.number("int8Bytes", 0L);
    r.float_us = f.number("floatUs", 0.0);
    r.int8_us = f.number("int8Us", 0.0);
  }
  if (!f.ok()) {
    app.int8.pending = false;
    return fail(f.error());
  }
  if (r.error.empty() && !app.int8.error.empty()) r.error = app.int8.error;  // the model itself was refused
  app.int8 = r;
  return Status::success();
}

Status apply(AppState& app, const json& m) {
  if (!m.is_object()) return fail("it is not a JSON object");
  auto type_field = m.find("type");
  if (type_field == m.end() || !type_field->is_string()) return fail("it has no 'type'");
  Result<MessageType> type = parse_message_type(type_field->get<std::string>());
  if (!type) return fail(type.error());
  if (*type != MessageType::progress) wake_ui(app);  // progress is shown at the quiet rate
  switch (*type) {
    case MessageType::loading: return apply_loading(app, m);
    case MessageType::ready: return apply_ready(app, m);
    case MessageType::started: return apply_started(app, m);
    case MessageType::state: return apply_state(app, m);
    case MessageType::progress: return apply_progress(app, m);
    case MessageType::evaluating: return apply_evaluating(app, m);
    case MessageType::epoch: return apply_epoch(app, m);
    case MessageType::error: return apply_error(app, m);
    case MessageType::restored: return apply_restored(app, m);
    case MessageType::notice: return apply_notice(app, m);
    case MessageType::history: return apply_history(app, m);
    case MessageType::quantize: return apply_quantize(app, m);
    // Bytes: the page hands these over through their own calls (app_exports.cpp).
    case MessageType::testset:
    case MessageType::predictions:
    case MessageType::weights:
    case MessageType::samples:
      return fail(std::string("'") + message_type_name(*type) + "' carries bytes and comes through its own call");
    // Commands go from the UI to the page, never back.
    case MessageType::start:
    case MessageType::pause:
    case MessageType::resume:
    case MessageType::stop:
    case MessageType::set:
    case MessageType::save:
    case MessageType::reset:
    case MessageType::reopen:
    case MessageType::forget:
    case MessageType::open:
      return fail(std::string("'") + message_type_name(*type) + "' is a command, not a report");
    // Between the page and the worker: an opened model file reaches the UI as `restored`.
    case MessageType::evaluate:
      return fail("'evaluate' is the worker's answer to the page, not a report for the UI");
  }
  return fail("unknown message type");
}

}  // namespace

void apply_worker_message(AppState& app, const std::string& text) {
  const json m = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (Status s = apply(app, m); !s) {
    app.error = "ignored a message from the page: " + s.error;
    wake_ui(app);
  }
}

}  // namespace dt
