// The C functions web/ui.js calls to feed the UI (worker messages, weight snapshots, the
// test set, the pointer) and to answer window.digitrain (predict, the pad). The UI's state
// is owned by main(); this file only holds a pointer to it, set once at start-up, because a
// C boundary has no object to hang it on.
#include <emscripten/emscripten.h>

#include <algorithm>
#include <cstring>
#include <string>

#include "app/app_exports.h"
#include "app/panels.h"
#include "app/page_controls.h"
#include "app/worker_messages.h"

#include <nlohmann/json.hpp>
#include "util/digit_shape.h"

namespace dt {

namespace {
AppState* g_app = nullptr;
PointerState* g_pointer = nullptr;

void write_prediction(float* out, const Prediction& p) {
  out[0] = static_cast<float>(p.digit);
  std::memcpy(out + 1, p.probabilities.data(), sizeof(float) * 10);
}
}  // namespace

void connect_exports(AppState* app, PointerState* pointer) {
  g_app = app;
  g_pointer = pointer;
}

// Commands from the panels go to the worker through the page's glue.
EM_JS(void, js_send_command, (const char* json), { Module.onCommand(UTF8ToString(json)); });
void send_command(const std::string& json) { js_send_command(json.c_str()); }

}  // namespace dt

using dt::g_app;
using dt::g_pointer;
using dt::write_prediction;

// The mistakes gallery as drawn: its filters, how many pass them, the test indices shown (in
// order) and where each is (CSS pixels), and the test image on the pad (-1 for none).
static nlohmann::json mistakes_json(const dt::AppState& app) {
  const dt::MistakesState& m = app.mistakes;
  nlohmann::json cells = nlohmann::json::array();
  for (const auto& c : m.cells) cells.push_back({c[0] / app.dpr, c[1] / app.dpr, c[2] / app.dpr, c[3] / app.dpr});
  return {{"truth", m.truth}, {"predicted", m.predicted}, {"matching", m.matching}, {"shown", m.shown}, {"cells", cells},
          {"padTestIndex", dt::pad_holds_test_image(app) ? app.pad_test_index : -1}};
}

// The Inspect panel as drawn (Shown::Inspect).
static nlohmann::json inspect_json(const dt::Shown::Inspect& i) {
  return {{"layer", i.layer},           {"name", i.name},           {"shape", i.shape},
          {"params", i.params},         {"outputView", i.output_view}, {"outputMin", i.output_min},
          {"outputMax", i.output_max},  {"weightsView", i.weights_view}, {"weightExtent", i.weight_extent},
          {"values", i.values}, {"statistics", i.statistics}};
}

extern "C" {

// The page changed under the UI (the window was resized or zoomed): it follows at once.
EMSCRIPTEN_KEEPALIVE void app_wake() {
  if (g_app) dt::wake_ui(*g_app);
}

EMSCRIPTEN_KEEPALIVE void app_on_message(const char* json) {
  if (g_app) dt::apply_worker_message(*g_app, json);
}

// A .safetensors snapshot from the worker; a bad one is reported, the old model kept.
EMSCRIPTEN_KEEPALIVE void app_set_weights(const uint8_t* bytes, size_t size) {
  if (g_app) dt::wake_ui(*g_app);
  if (!g_app) return;
  dt::Status s = g_app->inference.set_weights(bytes, size);
  if (!s) g_app->error = s.error;
}

// The int8 model the Quantise button asked for (its report follows as a `quantize` message):
// the pad answers with it too. A bad one is reported; the pad keeps the float model alone.
EMSCRIPTEN_KEEPALIVE void app_set_int8(const uint8_t* bytes, size_t size) {
  if (!g_app) return;
  dt::wake_ui(*g_app);
  dt::Status s = g_app->inference.set_int8(bytes, size);
  if (!s) g_app->int8.error = s.error;
}

// The weights of a run saved before a reload: "" when the pad's model took them, else why
// not (the page then sets the saved run aside and says so; the old model is kept).
EMSCRIPTEN_KEEPALIVE const char* app_restore_weights(const uint8_t* bytes, size_t size) {
  if (g_app) dt::wake_ui(*g_app);
  static std::string error;
  error = g_app ? g_app->inference.set_weights(bytes, size).error : "the user interface has not started";
  return error.c_str();
}

EMSCRIPTEN_KEEPALIVE void app_set_testset(const char* dataset, const uint8_t* images, const uint8_t* labels, int count) {
  if (g_app) dt::wake_ui(*g_app);
  if (!g_app) return;
  dt::TestSet& t = g_app->test;
  t.dataset = dataset;
  t.count = count;
  t.images.assign(images, images + static_cast<size_t>(count) * dt::kDigitPixels);
  t.labels.assign(labels, labels + count);
  t.predicted.clear();
  t.probabilities.clear();
  ++t.version;
  if (std::find(g_app->downloaded.begin(), g_app->downloaded.end(), t.dataset) == g_app->downloaded.end())
    g_app->downloaded.push_back(t.dataset);
}

EMSCRIPTEN_KEEPALIVE void app_set_predictions(const uint8_t* predicted, int count) {
  if (g_app) dt::wake_ui(*g_app);
  if (!g_app || count != g_app->test.count) return;
  g_app->test.predicted.assign(predicted, predicted + count);
  g_app->test.probabilities.clear();  // until they come for these predictions
  ++g_app->test.version;
}

// The worker's answer to a `samples` command: meta is its JSON without the bytes ({dataset,
// trainCounts, valCounts, augment: {rotate, scale, shift[, elastic, elastic_sigma]}} or
// {error}); count samples of 784 bytes and their labels.
EMSCRIPTEN_KEEPALIVE void app_set_samples(const char* meta, const uint8_t* images, const uint8_t* labels, int count) {
  if (g_app) dt::wake_ui(*g_app);
  if (!g_app) return;
  dt::DataGlance& d = g_app->data_glance;
  d.answered = true;
  ++d.version;
  d.images.clear();
  d.labels.clear();
  const nlohmann::json m = nlohmann::json::parse(meta, nullptr, false);
  if (m.is_discarded() || !m.is_object()) {
    d.error = "the worker's samples could not be read";
    return;
  }
  d.error = m.value("error", std::string());
  d.dataset = m.value("dataset", std::string());
  const auto counts = [&](const char* key, std::array<long, 10>& out) {
    out.fill(0);
    const auto it = m.find(key);
    if (it != m.end() && it->is_array() && it->size() == 10)
      for (int k = 0; k < 10; ++k) out[k] = (*it)[k].is_number() ? (*it)[k].get<long>() : 0;
  };
  counts("trainCounts", d.train_counts);
  counts("valCounts", d.val_counts);
  const auto aug = m.find("augment");
  if (aug != m.end() && aug->is_object()) {
    d.augment.rotate_degrees = aug->value("rotate", 0.0f);
    d.augment.scale = aug->value("scale", 0.0f);
    d.augment.shift = aug->value("shift", 0.0f);
    d.augment.elastic_alpha = aug->value("elastic", 0.0f);
    d.augment.elastic_sigma = aug->value("elastic_sigma", 0.0f);
  }
  if (count > 0 && count <= 256) {
    d.images.assign(images, images + static_cast<size_t>(count) * dt::kDigitPixels);
    d.labels.assign(labels, labels + count);
  }
}

// The same evaluation's probabilities, 10 per test image (count: floats), after its predictions.
EMSCRIPTEN_KEEPALIVE void app_set_probabilities(const float* probabilities, int count) {
  if (g_app) dt::wake_ui(*g_app);
  if (!g_app || count != g_app->test.count * 10 || g_app->test.predicted.size() != static_cast<size_t>(g_app->test.count)) return;
  g_app->test.probabilities.assign(probabilities, probabilities + count);
  ++g_app->test.version;
}

EMSCRIPTEN_KEEPALIVE void app_pointer(float x, float y, int down) {
  if (g_app) dt::note_input(*g_app, emscripten_get_now());
  if (!g_pointer) return;
  g_pointer->x = x;
  g_pointer->y = y;
  if (down && !g_pointer->down && !g_pointer->pressed) {
    g_pointer->pressed = true;
    g_pointer->press_x = x;
    g_pointer->press_y = y;
  }
  g_pointer->down = down != 0;
}

// predict(pixels784) for window.digitrain: returns [digit, p0..p9].
EMSCRIPTEN_KEEPALIVE const float* app_predict(const float* pixels) {
  if (g_app) dt::wake_ui(*g_app);
  static float out[11];
  if (!g_app) return out;
  write_prediction(out, g_app->inference.predict(pixels));
  g_app->predicted_model_version = ~0u;  // the pad's activations were overwritten: recompute
  return out;
}

// What is on the pad now: [digit, p0..p9].
EMSCRIPTEN_KEEPALIVE const float* app_last_prediction() {
  static float out[11];
  if (g_app) {
    dt::update_pad_prediction(*g_app);
    write_prediction(out, g_app->prediction);
  }
  return out;
}

// The pad's rectangle in CSS pixels: [x, y, width, height] relative to the canvas.
EMSCRIPTEN_KEEPALIVE const float* app_pad_rect() {
  static float out[4];
  if (g_app)
    for (int i = 0; i < 4; ++i) out[i] = g_app->pad_rect[i] / g_app->dpr;
  return out;
}

// The confusion matrix heatmap's rectangle in CSS pixels (all zero until one is shown), and
// the selected cell with how many of its test images are shown: [truth, predicted, shown].
EMSCRIPTEN_KEEPALIVE const float* app_heatmap_rect() {
  static float out[4];
  if (g_app)
    for (int i = 0; i < 4; ++i) out[i] = g_app->heatmap_rect[i] / g_app->dpr;
  return out;
}
EMSCRIPTEN_KEEPALIVE const float* app_selected_cell() {
  static float out[3];
  if (g_app) {
    out[0] = static_cast<float>(g_app->selected_truth);
    out[1] = static_cast<float>(g_app->selected_predicted);
    out[2] = static_cast<float>(g_app->shown_examples);
  }
  return out;
}

// The runs panel as last drawn (rows, buttons, the visible part of its window), as JSON.
EMSCRIPTEN_KEEPALIVE const char* app_runs_panel() {
  static std::string layout;
  layout = g_app ? dt::runs_panel_layout(*g_app) : "null";
  return layout.c_str();
}

// How many points the curves hold: [per progress report, per epoch].
EMSCRIPTEN_KEEPALIVE const float* app_curve_sizes() {
  static float out[2];
  if (g_app) {
    out[0] = static_cast<float>(g_app->history.step.size());
    out[1] = static_cast<float>(g_app->history.epoch.size());
  }
  return out;
}

// The network editor as drawn.
static nlohmann::json network_json(const dt::Shown::Network& n) {
  nlohmann::json layers = nlohmann::json::array();
  for (const auto& l : n.layers) layers.push_back({{"name", l.name}, {"shape", l.shape}, {"params", l.params}});
  return {{"open", n.open}, {"edited", n.edited}, {"layers", layers}, {"params", n.params}, {"flops", n.flops},
          {"error", n.error}, {"errorLayer", n.error_layer}, {"epochEstimate", n.epoch_estimate}};
}

// What the panels showed in the last frame (AppState::Shown) as JSON.
EMSCRIPTEN_KEEPALIVE const char* app_shown() {
  static std::string text;
  if (!g_app) return "{}";
  const dt::Shown& s = g_app->shown;
  auto chart = [](const dt::Shown::Chart& c) { return nlohmann::json{{"xLabel", c.x_label}, {"series", c.series}, {"points", c.points}}; };
  text = nlohmann::json{{"guess", s.guess},
                        {"padPrompt", s.pad_prompt},
                        {"classLabels", s.class_labels},
                        {"download", s.download},
                        {"trainingLine", s.training_line},
                        {"trainNotes", s.train_notes},
                        {"network", network_json(s.network)},
                        {"isolationWarning", s.isolation_warning},
                        {"moreSettings", s.more_settings},
                        {"int8", s.int8_line},
                        {"int8Guess", s.int8_guess},
                        {"featureMaps", s.feature_maps},
                        {"frames", s.frames},
                        {"pictures", s.pictures},
                        {"loss", chart(s.loss)},
                        {"accuracy", chart(s.accuracy)},
                        {"confusionRows", s.confusion_rows},
                        {"mistakes", mistakes_json(*g_app)},
                        {"inspect", inspect_json(s.inspect)},
                        {"data", {{"dataset", s.data.dataset}, {"trainCounts", s.data.train_counts}, {"valCounts", s.data.val_counts},
                                  {"augmented", s.data.augmented}, {"elastic", s.data.elastic},
                                  {"samples", s.data.samples}}},
                        {"why", {{"method", s.why.method}, {"class", s.why.klass}, {"extent", s.why.extent}, {"map", s.why.map}, {"ms", s.why.ms}}}}
             .dump();
  return text.c_str();
}

EMSCRIPTEN_KEEPALIVE void app_clear_pad() {
  if (g_app) dt::wake_ui(*g_app);
  if (g_app) g_app->pad.clear();
}

// ---- the page's DOM controls (web/a11y.js): the Train panel's main settings and buttons ----
// What they show (page_controls.h); the text stays valid until the next call.
EMSCRIPTEN_KEEPALIVE const char* app_page_controls() {
  static std::string json;
  if (!g_app) return "{}";
  dt::update_pad_prediction(*g_app);  // the guess for the pad as it is now
  json = dt::page_controls_json(*g_app);
  return json.c_str();
}

// Sets "dataset" or "preset" as the panel's combo boxes do: "" or why not.
EMSCRIPTEN_KEEPALIVE const char* app_set_setting(const char* name, const char* value) {
  if (g_app) dt::wake_ui(*g_app);
  static std::string error;
  error = g_app ? dt::set_page_setting(*g_app, name, value).error : "the user interface has not started";
  return error.c_str();
}

// Presses one of the panel's buttons ("start", "continue", "pause", "resume", "stop"): its
// command goes to the page exactly as the button's would. "" or why the button is disabled.
EMSCRIPTEN_KEEPALIVE const char* app_press(const char* action) {
  if (g_app) dt::wake_ui(*g_app);
  static std::string error;
  if (!g_app) return "the user interface has not started";
  dt::Result<std::string> command = dt::page_action_command(*g_app, action);
  error = command ? std::string() : command.error();
  if (command) dt::send_command(*command);
  return error.c_str();
}

}  // extern "C"
