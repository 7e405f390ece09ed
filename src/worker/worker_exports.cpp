// The C functions the worker's JavaScript (web/engine.js) calls. Strings cross as UTF-8
// pointers; returned strings and byte buffers stay valid until the next call of the same
// function. The one session lives here because a C boundary has no objects to hang it on.
#include <emscripten/emscripten.h>

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "util/thread_pool.h"
#include "worker/start_config.h"
#include "worker/training_session.h"

namespace {
dt::TrainingSession& session() {
  static dt::TrainingSession s;
  return s;
}
std::vector<uint8_t>& weights_snapshot() {
  static std::vector<uint8_t> bytes;
  return bytes;
}
std::vector<uint8_t>& checkpoint_snapshot() {
  static std::vector<uint8_t> bytes;
  return bytes;
}
const char* keep(std::string text) {
  static std::string kept;
  kept = std::move(text);
  return kept.c_str();
}
}  // namespace

extern "C" {

// Threads this module can run: the worker pool's size with pthreads, else 1.
EMSCRIPTEN_KEEPALIVE int dtw_max_threads() { return dt::ThreadPool::hardware_threads(); }

// Parses a dataset's four idx files (the caller frees its buffers afterwards). "" or a message.
EMSCRIPTEN_KEEPALIVE const char* dtw_add_dataset(const char* name, const uint8_t* train_images, size_t train_images_size,
                                                 const uint8_t* train_labels, size_t train_labels_size,
                                                 const uint8_t* test_images, size_t test_images_size,
                                                 const uint8_t* test_labels, size_t test_labels_size) {
  dt::IdxFiles files{{train_images, train_images_size},
                     {train_labels, train_labels_size},
                     {test_images, test_images_size},
                     {test_labels, test_labels_size}};
  return keep(session().add_dataset(name, files).error);
}

EMSCRIPTEN_KEEPALIVE int dtw_has_dataset(const char* name) { return session().has_dataset(name) ? 1 : 0; }

// The data a run with `config` (start-config JSON) would see: JSON {dataset, trainCounts,
// valCounts, augment} or {"error": ...}; its `count` samples are then at dtw_preview_images
// (count x 784 bytes) and dtw_preview_labels.
EMSCRIPTEN_KEEPALIVE const char* dtw_preview(const char* config, int max_threads, double seed, int count) {
  return keep(session().preview_data(config, max_threads, static_cast<uint64_t>(seed), count));
}
EMSCRIPTEN_KEEPALIVE const uint8_t* dtw_preview_images() { return session().preview().images.data(); }
EMSCRIPTEN_KEEPALIVE const uint8_t* dtw_preview_labels() { return session().preview().labels.data(); }
EMSCRIPTEN_KEEPALIVE int dtw_preview_count() { return static_cast<int>(session().preview().labels.size()); }

// The test set, for the page's copy (examples behind a confusion-matrix cell).
EMSCRIPTEN_KEEPALIVE int dtw_test_count(const char* name) {
  const dt::Dataset* d = session().test_set(name);
  return d ? d->count : 0;
}
EMSCRIPTEN_KEEPALIVE const uint8_t* dtw_test_images(const char* name) {
  const dt::Dataset* d = session().test_set(name);
  return d ? d->images.data() : nullptr;
}
EMSCRIPTEN_KEEPALIVE const uint8_t* dtw_test_labels(const char* name) {
  const dt::Dataset* d = session().test_set(name);
  return d ? d->labels.data() : nullptr;
}

// Checks a start config without starting anything, so that the worker refuses an unknown
// dataset or a bad field before it fetches any data. "" or the message start() would give.
EMSCRIPTEN_KEEPALIVE const char* dtw_check_config(const char* config_json, int max_threads) {
  dt::Result<dt::StartConfig> config = dt::parse_start_config(config_json, max_threads);
  return keep(config ? std::string() : config.error());
}

// Starts a run from a JSON config (see start_config.h), from fresh weights or, with
// weights_size > 0, from a .safetensors snapshot. "" or a message.
EMSCRIPTEN_KEEPALIVE const char* dtw_start(const char* config_json, int max_threads, const uint8_t* weights,
                                           size_t weights_size) {
  const dt::Bytes start_from{weights_size > 0 ? weights : nullptr, weights_size};
  return keep(session().start(config_json, max_threads, start_from).error);
}
EMSCRIPTEN_KEEPALIVE int dtw_threads() { return session().threads(); }
EMSCRIPTEN_KEEPALIVE const char* dtw_settings() { return keep(session().settings_json()); }
EMSCRIPTEN_KEEPALIVE void dtw_set_lr(float lr) { session().set_lr(lr); }

// Trains for about budget_ms; returns the JSON described in training_session.h.
EMSCRIPTEN_KEEPALIVE const char* dtw_run(double budget_ms) { return keep(session().run_for(budget_ms)); }

// The current weights as .safetensors: call dtw_weights, then read dtw_weights_size bytes.
EMSCRIPTEN_KEEPALIVE const uint8_t* dtw_weights() {
  weights_snapshot() = session().weights();
  return weights_snapshot().data();
}
EMSCRIPTEN_KEEPALIVE size_t dtw_weights_size() { return weights_snapshot().size(); }

// The run's exact checkpoint (.safetensors with the optimiser state and the run's position):
// call dtw_checkpoint, then read dtw_checkpoint_size bytes. Empty without a run.
EMSCRIPTEN_KEEPALIVE const uint8_t* dtw_checkpoint() {
  checkpoint_snapshot() = session().checkpoint();
  return checkpoint_snapshot().data();
}
EMSCRIPTEN_KEEPALIVE size_t dtw_checkpoint_size() { return checkpoint_snapshot().size(); }

// The start config (JSON) a checkpoint's run was made with, to load its dataset before
// dtw_resume; "" when the bytes are not a checkpoint (dtw_resume then says why).
EMSCRIPTEN_KEEPALIVE const char* dtw_checkpoint_config(const uint8_t* bytes, size_t size) {
  dt::Result<std::string> config = dt::TrainingSession::checkpoint_config({size > 0 ? bytes : nullptr, size});
  return keep(config ? *config : std::string());
}

// Continues the run a checkpoint holds (its config is inside). "" or a message.
EMSCRIPTEN_KEEPALIVE const char* dtw_resume(const uint8_t* bytes, size_t size, int max_threads) {
  return keep(session().resume({size > 0 ? bytes : nullptr, size}, max_threads).error);
}

// A model file a user opened (`name`, which starts every message): {"dataset": name} to load
// before dtw_evaluate_model, or {"error"}.
EMSCRIPTEN_KEEPALIVE const char* dtw_model_file_dataset(const uint8_t* bytes, size_t size, const char* name) {
  dt::Result<std::string> dataset = dt::TrainingSession::model_file_dataset({size > 0 ? bytes : nullptr, size}, name);
  return keep(dataset ? "{\"dataset\":\"" + *dataset + "\"}" : nlohmann::json{{"error", dataset.error()}}.dump());
}

// Evaluates a model file on its test set; the JSON of TrainingSession::evaluate_model, with
// the per-image predictions then at dtw_test_predictions and dtw_test_probabilities.
EMSCRIPTEN_KEEPALIVE const char* dtw_evaluate_model(const uint8_t* bytes, size_t size, const char* name, int max_threads) {
  return keep(session().evaluate_model({size > 0 ? bytes : nullptr, size}, name, max_threads));
}

// The Quantise button: a float model file as int8; the JSON of TrainingSession::quantize_model,
// with the int8 file then at dtw_quantized.
EMSCRIPTEN_KEEPALIVE const char* dtw_quantize_model(const uint8_t* bytes, size_t size, const char* name, int max_threads) {
  return keep(session().quantize_model({size > 0 ? bytes : nullptr, size}, name, max_threads));
}
EMSCRIPTEN_KEEPALIVE const uint8_t* dtw_quantized() { return session().quantized().data(); }
EMSCRIPTEN_KEEPALIVE size_t dtw_quantized_size() { return session().quantized().size(); }

// The latest test evaluation's predicted class per test image.
EMSCRIPTEN_KEEPALIVE const uint8_t* dtw_test_predictions() { return session().test_predictions().data(); }
EMSCRIPTEN_KEEPALIVE int dtw_test_predictions_count() { return static_cast<int>(session().test_predictions().size()); }
// And its probabilities: dtw_test_probabilities_count() floats, 10 per test image.
EMSCRIPTEN_KEEPALIVE const float* dtw_test_probabilities() { return session().test_probabilities().data(); }
EMSCRIPTEN_KEEPALIVE int dtw_test_probabilities_count() { return static_cast<int>(session().test_probabilities().size()); }

}  // extern "C"
