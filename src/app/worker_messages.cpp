#include "app/worker_messages.h"

#include <nlohmann/json.hpp>

#include "recipe/train_config.h"
#include "recipe/presets.h"

namespace dt {

namespace {

using nlohmann::json;

template <class T>
T get(const json& j, const char* key, T fallback) {
  auto it = j.find(key);
  return it != j.end() && !it->is_null() ? it->get<T>() : fallback;
}

void apply_progress(AppState& app, const json& m) {
  Progress& p = app.progress;
  p.epoch = get(m, "epoch", 0);
  p.epochs = get(m, "epochs", 0);
  p.step = get(m, "step", 0L);
  p.step_in_epoch = get(m, "stepInEpoch", 0L);
  p.steps_per_epoch = get(m, "stepsPerEpoch", 0L);
  p.total_steps = get(m, "totalSteps", 0L);
  p.samples_seen = get(m, "samplesSeen", 0L);
  p.loss = get(m, "loss", 0.0f);
  p.epoch_loss = get(m, "epochLoss", 0.0f);
  p.train_accuracy = get(m, "trainAccuracy", 0.0f);
  p.lr = get(m, "lr", 0.0f);
  p.samples_per_second = get(m, "samplesPerSecond", 0.0);
  p.eta_seconds = get(m, "etaSeconds", 0.0);
  p.threads = get(m, "threads", 0);
  History& h = app.history;
  h.step.push_back(static_cast<float>(p.step));
  h.loss.push_back(p.epoch_loss);
  h.accuracy.push_back(p.train_accuracy);
}

// The Train panel shows what the running session really uses, however it was started
// (the panel, window.digitrain.start, or Continue).
void apply_settings(AppState& app, const json& s) {
  if (!s.is_object()) return;
  TrainSettings& t = app.settings;
  const std::string preset = get(s, "preset", std::string());
  for (size_t i = 0; i < presets().size(); ++i)
    if (presets()[i].name == preset) t.preset = static_cast<int>(i);
  const std::string dataset = get(s, "dataset", std::string());
  for (size_t i = 0; i < app.datasets.size(); ++i)
    if (app.datasets[i] == dataset) t.dataset = static_cast<int>(i);
  Result<OptimizerKind> kind = parse_optimizer(get(s, "optimizer", std::string()));
  if (kind) t.optimizer = static_cast<int>(*kind);
  t.epochs = get(s, "epochs", t.epochs);
  t.batch = get(s, "batch", t.batch);
  t.lr = get(s, "lr", t.lr);
  if (s.contains("augment") && s["augment"].is_object()) t.augment = get(s["augment"], "rotate", 0.0f) > 0 ||
                                                                     get(s["augment"], "scale", 0.0f) > 0 ||
                                                                     get(s["augment"], "shift", 0.0f) > 0;
}

void apply_epoch(AppState& app, const json& m) {
  History& h = app.history;
  // Placed on the step axis at the epoch's last step, beside the per-slice training curves.
  h.epoch.push_back(static_cast<float>(get(m, "epoch", 0) * app.progress.steps_per_epoch));
  h.val_loss.push_back(get(m, "valLoss", 0.0f));
  h.val_accuracy.push_back(get(m, "valAccuracy", 0.0f));
  h.test_accuracy.push_back(get(m, "testAccuracy", 0.0f));
  app.test_accuracy = get(m, "testAccuracy", 0.0);
  app.kappa = get(m, "kappa", 0.0);
  app.macro_f1 = get(m, "macroF1", 0.0);
  // kClasses rows of kClasses counts, row = true class (metrics/metrics_json.h).
  const auto it = m.find("confusion");
  if (it == m.end() || !it->is_array() || it->size() != ConfusionMatrix::K) return;
  ConfusionMatrix cm;
  for (int i = 0; i < ConfusionMatrix::K; ++i) {
    const json& row = (*it)[i];
    if (!row.is_array() || row.size() != ConfusionMatrix::K) return;
    for (int j = 0; j < ConfusionMatrix::K; ++j) {
      if (!row[j].is_number_unsigned()) return;
      for (uint64_t c = row[j].get<uint64_t>(); c > 0; --c) cm.add(i, j);
    }
  }
  app.confusion = cm;
  app.has_confusion = true;
}

}  // namespace

void apply_worker_message(AppState& app, const std::string& text) {
  const json m = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (m.is_discarded() || !m.is_object()) return;
  const std::string type = get(m, "type", std::string());
  if (type == "state") {
    app.state = get(m, "state", std::string("idle"));
    if (app.state == "training") app.error.clear();
  } else if (type == "error") {
    app.state = "error";
    app.error = get(m, "message", std::string("unknown error"));
  } else if (type == "loading") {
    app.state = "loading";
    app.loading_file = get(m, "file", std::string());
    const double total = get(m, "total", 0.0);
    app.loading_fraction = total > 0 ? get(m, "loaded", 0.0) / total : 0.0;
  } else if (type == "ready") {
    app.isolated = get(m, "crossOriginIsolated", false);
    app.max_threads = get(m, "maxThreads", 1);
    if (m.contains("datasets") && m["datasets"].is_array() && !m["datasets"].empty()) {
      app.datasets.clear();
      for (const json& d : m["datasets"])
        if (d.is_string()) app.datasets.push_back(d.get<std::string>());
    }
  } else if (type == "progress") {
    apply_progress(app, m);
  } else if (type == "epoch") {
    apply_epoch(app, m);
  } else if (type == "restored") {
    app.restored = "restored the " + get(m, "preset", std::string("saved")) + " model saved before the reload";
  } else if (type == "started") {
    app.restored.clear();
    if (m.contains("settings")) apply_settings(app, m["settings"]);
    app.history.clear();
    app.has_confusion = false;
    app.test.predicted.clear();
  }
}

}  // namespace dt
