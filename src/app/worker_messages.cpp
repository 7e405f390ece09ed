#include "app/worker_messages.h"

#include <limits>
#include <string>
#include <type_traits>
#include <vector>

#include <nlohmann/json.hpp>

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

Status apply_progress(AppState& app, const json& m) {
  Fields f(m);
  Progress p;
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
  if (!f.ok()) return fail(f.error());
  app.progress = p;
  History& h = app.history;
  h.step.push_back(static_cast<float>(p.step));
  h.loss.push_back(p.epoch_loss);
  h.accuracy.push_back(p.train_accuracy);
  return Status::success();
}

// The Train panel shows what the running session really uses, however it was started
// (the panel, window.digitrain.start, or Continue).
Status read_settings(const json& s, const std::vector<std::string>& datasets, TrainSettings* t) {
  Fields f(s);
  const std::string preset = f.text("preset", "");
  for (size_t i = 0; i < presets().size(); ++i)
    if (presets()[i].name == preset) t->preset = static_cast<int>(i);
  const std::string dataset = f.text("dataset", "");
  for (size_t i = 0; i < datasets.size(); ++i)
    if (datasets[i] == dataset) t->dataset = static_cast<int>(i);
  const std::string optimizer = f.text("optimizer", "");
  if (!optimizer.empty()) {
    Result<OptimizerKind> kind = parse_optimizer(optimizer);
    if (kind) t->optimizer = *kind;
    else f.fail(kind.error());
  }
  t->epochs = f.number("epochs", t->epochs);
  t->batch = f.number("batch", t->batch);
  t->lr = f.number("lr", t->lr);
  if (const json* a = f.object("augment")) {
    Fields aug(*a);
    t->augment = aug.number("rotate", 0.0f) > 0 || aug.number("scale", 0.0f) > 0 || aug.number("shift", 0.0f) > 0;
    if (!aug.ok()) f.fail("augment: " + aug.error());
  }
  return f.ok() ? Status::success() : fail("settings: " + f.error());
}

Status apply_started(AppState& app, const json& m) {
  Fields f(m);
  TrainSettings settings = app.settings;
  if (const json* s = f.object("settings")) {
    if (Status st = read_settings(*s, app.datasets, &settings); !st) f.fail(st.error);
  }
  if (!f.ok()) return fail(f.error());
  app.settings = settings;
  app.model_dataset = app.datasets[settings.dataset];
  app.restored.clear();
  app.notice.clear();
  app.evaluating_epoch = 0;
  app.history.clear();
  app.has_confusion = false;
  app.test.predicted.clear();
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

Status apply_epoch(AppState& app, const json& m) {
  Fields f(m);
  const int epoch = f.number("epoch", 0);
  // Null (or absent) when the run has no validation split: then there is no point to draw.
  const bool has_validation = m.contains("valAccuracy") && !m["valAccuracy"].is_null();
  const float val_loss = f.number("valLoss", 0.0f), val_accuracy = f.number("valAccuracy", 0.0f);
  const double test_accuracy = f.number("testAccuracy", 0.0);
  const double kappa = f.number("kappa", 0.0), macro_f1 = f.number("macroF1", 0.0);
  ConfusionMatrix confusion;
  const json* rows = f.array("confusion");
  if (rows) {
    if (Status s = read_confusion(*rows, &confusion); !s) f.fail(s.error);
  }
  if (!f.ok()) return fail(f.error());

  app.evaluating_epoch = 0;
  History& h = app.history;
  h.epoch.push_back(static_cast<float>(epoch));
  h.test_accuracy.push_back(static_cast<float>(test_accuracy));
  if (has_validation) {
    h.val_epoch.push_back(static_cast<float>(epoch));
    h.val_loss.push_back(val_loss);
    h.val_accuracy.push_back(val_accuracy);
  }
  app.test_accuracy = test_accuracy;
  app.kappa = kappa;
  app.macro_f1 = macro_f1;
  if (rows) {
    app.confusion = confusion;
    app.has_confusion = true;
  }
  return Status::success();
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

// A run saved before the reload: the Train panel shows its settings, so that Continue trains
// on with them; `resumable` runs stopped mid-way and continue exactly where they were.
Status apply_restored(AppState& app, const json& m) {
  Fields f(m);
  const std::string preset = f.text("preset", "saved");
  const bool resumable = f.boolean("resumable", false);
  const long step = f.number("step", 0L), total = f.number("totalSteps", 0L);
  TrainSettings settings = app.settings;
  if (const json* s = f.object("settings")) {
    if (Status st = read_settings(*s, app.datasets, &settings); !st) f.fail(st.error);
  }
  if (!f.ok()) return fail(f.error());
  app.settings = settings;
  app.model_dataset = app.datasets[settings.dataset];
  app.restored = resumable ? "restored the " + preset + " run stopped at step " + std::to_string(step) + " of " +
                                 std::to_string(total) + "; Continue trains on exactly from there"
                           : "restored the " + preset + " model saved before the reload";
  return Status::success();
}

Status apply_notice(AppState& app, const json& m) {
  Fields f(m);
  const std::string message = f.text("message", "");
  if (!f.ok()) return fail(f.error());
  app.notice = message;
  return Status::success();
}

Status apply(AppState& app, const json& m) {
  if (!m.is_object()) return fail("it is not a JSON object");
  auto type_field = m.find("type");
  if (type_field == m.end() || !type_field->is_string()) return fail("it has no 'type'");
  Result<MessageType> type = parse_message_type(type_field->get<std::string>());
  if (!type) return fail(type.error());
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
    // Bytes: the page hands these over through their own calls (app_exports.cpp).
    case MessageType::testset:
    case MessageType::predictions:
    case MessageType::weights:
      return fail(std::string("'") + message_type_name(*type) + "' carries bytes and comes through its own call");
    // Commands go from the UI to the page, never back.
    case MessageType::start:
    case MessageType::pause:
    case MessageType::resume:
    case MessageType::stop:
    case MessageType::set:
    case MessageType::save:
    case MessageType::reset:
      return fail(std::string("'") + message_type_name(*type) + "' is a command, not a report");
  }
  return fail("unknown message type");
}

}  // namespace

void apply_worker_message(AppState& app, const std::string& text) {
  const json m = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (Status s = apply(app, m); !s) app.error = "ignored a message from the page: " + s.error;
}

}  // namespace dt
