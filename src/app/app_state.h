// Everything the UI shows, as plain data: the worker's latest reports (fed in by
// worker_messages.cpp), the settings the Train panel edits, and the pad. Panels read and edit
// this; they talk to the page only through send_command() with a command from app/commands.h.
#pragma once
#include <array>
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "app/draw_pad.h"
#include "app/inference.h"
#include "app/pad_preprocess.h"
#include "app/train_settings.h"
#include "data/augment.h"
#include "metrics/metrics.h"
#include "nn/network_summary.h"
#include "protocol/protocol.h"
#include "recipe/train_config.h"

namespace dt {

// The network editor (network_panel.cpp): the layers being edited, starting from the preset's,
// and what they amount to after the last edit.
struct NetworkDraft {
  int preset = -1;        // the preset the draft started from; another choice starts it afresh
  ModelSpec spec;
  bool edited = false;    // it differs from the preset's layers: runs train the draft
  NetworkSummary summary;
  int summary_batch = 0;  // the batch the summary's memory estimate is for
  std::array<char, 16384> json{};  // the JSON text box
  std::string json_error;
  double run_flops = 0;   // forward FLOPs per image of the network the latest run trains
};

// The Quantise button's answer (the int8 model itself is the Inference's): what the worker
// measured when it made the int8 model of the weights on screen.
struct Int8Report {
  bool pending = false;  // asked, not answered yet
  std::string error;     // why the latest request failed, or ""
  int calibration = 0;   // training images the activation scales were calibrated on
  double float_accuracy = 0, int8_accuracy = 0;  // on the test set
  long float_bytes = 0, int8_bytes = 0;          // the two files
  double float_us = 0, int8_us = 0;              // one image's inference, one thread
};

struct Progress {
  int epoch = 0, epochs = 0;
  long step = 0, step_in_epoch = 0, steps_per_epoch = 0, total_steps = 0, samples_seen = 0;
  float loss = 0, epoch_loss = 0, train_accuracy = 0, lr = 0;
  double samples_per_second = 0, eta_seconds = 0;
  int threads = 0;
};

// Curves keep their whole history: per-slice training loss and accuracy against the global
// step, and per-epoch test values against the epoch number. Validation values exist only for
// runs with a validation split, so they have their own epochs.
struct History {
  std::vector<float> step, loss, accuracy;  // one point per progress report
  std::vector<float> epoch, test_accuracy;  // one point per epoch
  std::vector<float> val_epoch, val_loss, val_accuracy;
  // Per layer with weights (by index): mean |w| and |grad| / |w| at each progress report.
  struct LayerCurves {
    std::vector<float> step, weight, ratio;
  };
  std::map<int, LayerCurves> layers;
  void clear() { *this = History{}; }
};

// A finished or stopped run kept in the browser (web/run_history.js), as the runs panel shows
// it: what it trained, how it ended, its final metrics and its curves.
struct PastRun {
  int64_t id = 0;     // ms since 1970 when it started: names it in reopen and forget
  double saved_at = 0;
  std::string ended;  // "finished" or "stopped"
  std::string dataset, preset, optimizer;
  float lr = 0;
  int batch = 0, epochs = 0, epochs_done = 0;
  bool augment = false;
  double test_accuracy = -1;       // < 0: never tested
  double seconds = 0, samples_per_second = 0;
  long steps_per_epoch = 0;
  bool has_weights = false;
  long weights_size = 0;
  History curves;
};

// The runs panel's own: which past runs are compared, and where its controls were drawn
// (framebuffer pixels, x y w h) for window.digitrain.runsPanel().
struct RunsPanelState {
  std::vector<int64_t> compared;
  struct Row {
    int64_t id;
    float row[4], open[4], forget[4], compare[4];
  };
  std::vector<Row> rows;
  float visible[4] = {0, 0, 0, 0}, header[4] = {0, 0, 0, 0};
  bool open = false;
};

struct TestSet {
  std::string dataset;
  int count = 0;
  std::vector<uint8_t> images;     // (count, 28, 28)
  std::vector<uint8_t> labels;     // (count)
  std::vector<uint8_t> predicted;  // (count) from the latest evaluation, empty before one
  std::vector<float> probabilities;  // (count, 10) from the same evaluation, empty before one
  unsigned version = 0;              // bumped when the images or the predictions change
};

// What the Inspect panel shows: a layer, and for its weights an input channel (conv) or a unit
// (dense).
struct InspectState {
  int layer = 0;
  int channel = 0, unit = 0;
  // Why this guess: the method, the class explained (-1: the guess), and the map with what it
  // was computed for.
  AttributionMethod method = AttributionMethod::gradient_x_input;
  int why_class = -1;
  std::vector<float> why_map;
  unsigned why_key = ~0u;       // the image, class and method the map is for
  unsigned why_model = ~0u;     // the weights it was computed with
  double why_ms = 0, why_at = 0;  // what computing it took, and when (emscripten_get_now)
  std::string why_error;
};

// Data at a glance (data_panel.cpp): what a run with the Train panel's settings would train
// on, as the worker answered the last `samples` command.
struct DataGlance {
  std::string requested;  // the command last sent (its JSON), "" for none
  int seed = 1;           // the samples' seed: "New samples" moves it on
  bool answered = false;
  std::string dataset, error;
  std::array<long, 10> train_counts{}, val_counts{};
  Augment augment;                         // the augmentation applied to the samples
  std::vector<uint8_t> images, labels;     // (n, 28, 28) and (n)
  unsigned version = 0;                    // bumped with every answer
};

// The gallery of the test set's mistakes (mistakes_panel.cpp).
struct MistakesState {
  int truth = -1, predicted = -1;  // the filters: a class, or -1 for any
  int limit = 30;                  // how many are shown ("Show more" adds a page)
  std::vector<int> ranked;         // every mistake's test index, the most confidently wrong first
  unsigned ranked_from = ~0u;      // the TestSet version they were ranked from
  std::vector<int> shown;          // the test indices on screen, in order
  std::vector<std::array<float, 4>> cells;  // where each is drawn: x, y, w, h (framebuffer pixels)
  int matching = 0;                // mistakes that pass the filters (shown or not)
};

// What the panels showed in the last frame, in words: window.digitrain.shown()
// reads it, so that tests check what a person sees rather than the state behind it.
struct Shown {
  struct Chart {
    std::string x_label;
    std::vector<std::string> series;  // names in legend order
    std::vector<int> points;          // each series' point count
  };
  std::string guess;                       // "Trouser (58.5%)", or "-" when there is no guess
  std::string pad_prompt;                  // the empty pad's prompt, "" when it has ink
  std::vector<std::string> class_labels;   // the probability bars' labels
  std::string download;                    // the note about a download Start would make, or ""
  std::string training_line;               // "loss ... train acc ... test acc ..."
  std::string int8_line;                   // the int8 model's report under the buttons, or ""
  std::string int8_guess;                  // the int8 model's guess on the pad, "" without one
  std::array<std::string, 2> train_notes;  // below it: what the run on screen is (restored, opened), a notice
  bool isolation_warning = false;
  bool more_settings = false;              // the Train panel's "More settings" is open
  bool feature_maps = false;               // Inspect shows the drawing's feature maps
  long frames = 0;                         // times the UI was built since the page opened
  long pictures = 0;                       // times a whole picture was drawn
  struct Inspect {
    int layer = -1;                        // the layer shown, -1 for none
    std::string name;                      // as the layer list says it: "conv2d 32 3x3 valid"
    std::array<int, 3> shape{};            // its output: h, w, c
    long params = 0;                       // its trainable parameters
    std::string output_view;               // "maps", "bars", "softmax" or "" (empty pad)
    float output_min = 0, output_max = 0;  // the range of what the output view shows
    std::vector<float> values;             // the bars' values, or each map's largest value
    std::string weights_view;              // "filters", "templates", "unit", "" (no weights)
    float weight_extent = 0;               // the weights' colour scale: -extent .. +extent
    int statistics = 0;                    // points in its weight statistics curves
  } inspect;
  struct Data {                            // Data at a glance, "" dataset when not shown
    std::string dataset;
    std::array<long, 10> train_counts{}, val_counts{};
    bool augmented = false;
    float elastic = 0;                     // the elastic distortion's alpha, 0 without one
    int samples = 0;
  } data;
  struct Why {
    std::string method;      // "gradient" or "occlusion", "" when not shown
    int klass = -1;          // the class explained
    float extent = 0;        // the map's colour scale: -extent .. +extent
    std::vector<float> map;  // 28*28, as shown
    double ms = 0;           // what computing it took
  } why;
  struct Network {                         // the network editor, when drawn
    bool open = false;                     // its section is open
    bool edited = false;
    struct Layer {
      std::string name, shape;             // "dense 64", "1x1x64"
      long params = 0;
    };
    std::vector<Layer> layers;
    long params = 0;
    double flops = 0;
    std::string error;                     // what makes it unusable, "" if nothing
    int error_layer = -1;
    std::string epoch_estimate;            // "about 12 s per epoch at the last run's speed", or ""
  } network;
  Chart loss, accuracy;
  std::vector<std::string> confusion_rows; // the Evaluate table's class column
};

struct AppState {
  // From the worker.
  RunState state = RunState::loading;
  std::string error;  // the worker's error, or why a message from the page was ignored
  std::string loading_dataset, loading_file;
  double loading_bytes = 0, loading_total = 0;  // compressed bytes of the dataset being fetched
  bool worker_ready = false;  // the worker has said what it can do (threads, isolation, datasets)
  bool isolated = false;
  int max_threads = 1;
  std::vector<std::string> datasets{"mnist"};
  std::vector<double> dataset_bytes;     // each dataset's download size (0: not known)
  std::vector<std::string> downloaded;   // datasets the worker holds (their test sets came)
  std::string model_dataset = "mnist";   // what the pad's model was trained on
  Progress progress;
  int evaluating_epoch = 0;  // the epoch whose validation and test evaluation runs now, else 0
  History history;
  ConfusionMatrix confusion;
  bool has_confusion = false;
  double test_accuracy = 0, kappa = 0, macro_f1 = 0;
  TestSet test;
  std::string restored;  // "" or what was restored from the browser's storage after a reload
  std::string notice;    // "" or something worth knowing that is not an error, until a run starts
  bool can_continue = false;  // the restored run has weights (or a checkpoint) to train on from
  int64_t shown_run = 0;      // the id of the run on screen (restored or reopened), 0 if not known
  std::vector<PastRun> past_runs;  // newest first

  // The UI's own.
  TrainSettings settings;
  NetworkDraft network;
  DrawPad pad;
  Inference inference;
  DigitImage digit{};        // the pad after MNIST preprocessing
  Prediction prediction;     // the network's guess for `digit`
  Prediction int8_prediction;  // the int8 model's, while Inference has one
  bool predicted_int8 = false; // int8_prediction is for the current image and model
  Int8Report int8;
  unsigned predicted_pad_version = ~0u, predicted_model_version = ~0u;
  bool row_normalised = false;
  RunsPanelState runs_panel;
  int selected_truth = -1, selected_predicted = -1;  // the confusion cell being shown
  MistakesState mistakes;
  InspectState inspect;
  DataGlance data_glance;
  int pad_test_index = -1;           // the test image put on the pad (a mistake clicked), -1 for a drawing
  unsigned pad_test_version = ~0u;   // the pad's version right after it was put there
  float pad_rect[4] = {0, 0, 0, 0};                 // x, y, w, h in framebuffer pixels
  float heatmap_rect[4] = {0, 0, 0, 0};             // the confusion matrix's 10x10 cells, likewise
  int shown_examples = 0;                           // test images shown for the selected cell
  float dpr = 1;                                     // device pixel ratio
  bool one_column = false;                           // the portrait layout: one scrolling column
  bool pad_stroke = false;                           // a stroke is being drawn on the pad this frame
  float draw_region[4] = {0, 0, 0, 0};               // the pad with its guess: all a stroke changes, likewise
  std::map<std::string, std::array<float, 4>> widget_rects;  // named controls' x, y, w, h (framebuffer pixels)
  std::map<std::string, unsigned> widget_ids;                // and their ImGui ids
  Shown shown;
  // The page handed the UI something new since its last frame (a message other than progress,
  // a call from the page): the next frames are built at once rather than at the quiet rate
  // (main.cpp). input_ms: when the last pointer, wheel, key or focus event came. Set them
  // through wake_ui() and note_input(), which also resume the UI's frames if they sleep.
  bool wake = false;
  double input_ms = 0;
  std::function<void()> resume_frames;  // set by main()
};

// Something new for the UI to show at once.
inline void wake_ui(AppState& app) {
  app.wake = true;
  if (app.resume_frames) app.resume_frames();
}
// The user's pointer, wheel, key or focus event at now_ms.
inline void note_input(AppState& app, double now_ms) {
  app.input_ms = now_ms;
  if (app.resume_frames) app.resume_frames();
}

// Remembers where the last item (a named control) was drawn, for tests and the page.
void note_item_rect(AppState& app, const char* name);

// Whether a run holds the worker (its settings cannot change, a new one cannot start).
inline bool run_busy(RunState s) { return s == RunState::training || s == RunState::paused || s == RunState::loading; }

// Whether Start may train the layers the Train panel would send: the preset's always, an
// edited network only when the editor found nothing wrong with it.
inline bool network_can_train(const AppState& app) { return !app.network.edited || app.network.summary.ok(); }

// Whether the pad has a guess to show: an empty pad has none (the network's output for a blank
// image is not a guess), and neither has a network that has not trained yet.
inline bool pad_has_guess(const AppState& app) { return !app.pad.empty() && app.inference.trained(); }

// Whether the pad holds a test image, untouched since it was put there: the network then sees
// that image exactly, not the pad's preprocessed ink.
inline bool pad_holds_test_image(const AppState& app) {
  return app.pad_test_index >= 0 && app.pad_test_index < app.test.count && app.pad.version() == app.pad_test_version;
}

// Puts test image `index` on the pad (a mistake clicked in the gallery).
void put_test_image_on_pad(AppState& app, int index);

// Sends a command (JSON text, built by app/commands.h) to the page.
void send_command(const std::string& json);

}  // namespace dt
