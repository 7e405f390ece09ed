// One training run inside the page's worker, driven in slices: the worker's message loop calls
// run_for() with a small time budget, posts what it returns, and is then free to handle pause,
// stop or a new learning rate before the next slice. Nothing here knows about JavaScript; the
// exported C functions (worker_exports.cpp) are a thin layer over this class.
#pragma once
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "data/data_preview.h"
#include "data/dataset.h"
#include "nn/model.h"
#include "train/run.h"
#include "worker/start_config.h"

namespace dt {

// The four idx files of one dataset, as bytes owned by the caller.
struct Bytes {
  const uint8_t* data = nullptr;
  size_t size = 0;
};
struct IdxFiles {
  Bytes train_images, train_labels, test_images, test_labels;
};

class TrainingSession {
 public:
  // Parses and keeps a dataset under `name` ("mnist", "fashion"); the message names the file.
  Status add_dataset(const std::string& name, const IdxFiles& files);
  bool has_dataset(const std::string& name) const { return data_.count(name) > 0; }
  const Dataset* test_set(const std::string& name) const;

  // Builds the preset's model, splits off validation and makes a trainer. `max_threads` is
  // how many threads the page can run (1 without cross-origin isolation). With `weights`
  // (.safetensors of the same architecture, e.g. saved before a reload) training continues
  // from them instead of a fresh initialisation.
  Status start(const std::string& config_json, int max_threads, Bytes weights = {});
  // Continues the run that checkpoint() saved, exactly where it was (weights, optimiser,
  // position in the schedule and the epoch, learning rate, early stopping): the same steps
  // follow as if it had never stopped (bit-identical on the same number of threads). The run's
  // start config travels inside the checkpoint; its dataset must be loaded (the message says
  // which one otherwise). On an error the session is left without a run.
  Status resume(Bytes checkpoint, int max_threads);
  // The start config (JSON, as start() takes it) a checkpoint's run was made with, checked,
  // and the dataset it trains on, so that the dataset can be loaded before resume().
  static Result<std::string> checkpoint_config(Bytes checkpoint);
  static Result<std::string> checkpoint_dataset(Bytes checkpoint);
  bool running() const { return run_ != nullptr && !run_->finished(); }
  int threads() const { return run_ ? run_->threads() : 0; }
  void set_lr(float lr);

  // Trains until `budget_ms` have passed, an epoch ends or the run finishes, and stops short of
  // an epoch's last step. That step, and the evaluation on the validation and test sets that
  // follows it, are the next call's. Returns one JSON object:
  //   {"progress": {...}, "epoch": {...} (only at an epoch's end), "done": bool,
  //    "epochEndsNext": bool (the next call ends an epoch and evaluates: seconds, not ~50 ms),
  //    "error": "..." (only when training diverged: the run is over, the weights are the last good ones)}
  // where epoch.confusion is the test set's 10x10 counts, rows the true class.
  std::string run_for(double budget_ms);

  // The run's effective settings (preset defaults plus overrides) as JSON:
  //   {preset, dataset, epochs, batch, lr, optimizer, momentum, schedule, loss, focal_gamma,
  //    label_smoothing, l1, l2, val, patience, threads,
  //    augment: {rotate, scale, shift[, elastic, elastic_sigma]}}
  std::string settings_json() const;

  // The current weights as .safetensors bytes (the architecture travels in the metadata).
  std::vector<uint8_t> weights() const;
  // The run's exact checkpoint (train/run.h), with its start config: also a .safetensors
  // model file. Empty without a run.
  std::vector<uint8_t> checkpoint() const;
  // The data a run with these settings (a start config) would train on, before it starts: the
  // per-class counts of its training and validation parts and `count` training samples as
  // the network gets them, augmentation applied (data/data_preview.h; the samples are in
  // preview()). Returns {dataset, trainCounts, valCounts, augment: {rotate, scale, shift[,
  // elastic, elastic_sigma]}}, or {error} saying what is wrong (the config, or a dataset not
  // downloaded yet).
  std::string preview_data(const std::string& config_json, int max_threads, uint64_t sample_seed, int count);
  const DataPreview& preview() const { return preview_; }
  // A model file a user opened (.safetensors, e.g. saved by the page or the CLI, or written
  // from PyTorch): the dataset it was trained on, from its metadata ("mnist" when it does not
  // say), so that the worker can load that dataset first; or what is wrong with the file.
  // Messages start with `name`, the file's name.
  static Result<std::string> model_file_dataset(Bytes file, const std::string& name);
  // Evaluates a model file on its dataset's test set, leaving any run as it is. Returns
  //   {dataset, preset, architecture: {...}, layers: "conv2d 32 3x3 valid, ...", parameters (trainable),
  //    settings: {...as settings_json, for the preset's recipe on this architecture},
  //    epoch: {testLoss, testAccuracy, kappa, macroF1, confusion}}
  // and its per-image predictions in test_predictions() and test_probabilities(); or {error}
  // saying what is wrong (a corrupt or foreign file, a dataset not loaded). The preset is the
  // file's when it names one, else the default: its training recipe is what Continue uses.
  std::string evaluate_model(Bytes file, const std::string& name, int max_threads);
  // The latest test evaluation's predicted class per test image (empty before one).
  const std::vector<uint8_t>& test_predictions() const { return test_predictions_; }
  // And its softmax probabilities, (test images, classes).
  const std::vector<float>& test_probabilities() const { return test_probabilities_; }

  // The page's Quantise button: a float model file (the run on screen's weights) as an int8
  // model (quant/), calibrated on kCalibrationImages of its dataset's training images; both
  // tested on the test set, and one image's inference timed on one thread each way. Returns
  //   {dataset, calibration, floatAccuracy, int8Accuracy, floatBytes, int8Bytes, floatUs, int8Us}
  // with the int8 file in quantized(); or {error} saying what is wrong (messages start with
  // `name`). Any run is left as it is.
  static constexpr int kCalibrationImages = 500;
  std::string quantize_model(Bytes file, const std::string& name, int max_threads);
  const std::vector<uint8_t>& quantized() const { return quantized_; }

 private:
  Status resume_run(Bytes checkpoint, int max_threads);
  struct Data {
    Dataset train;  // all training samples; each run splits off its own validation set
    Dataset test;
  };
  std::map<std::string, Data> data_;
  Split split_;                // the run's training and validation sets
  const Dataset* test_ = nullptr;  // the run's test set (in data_, whose nodes never move)
  StartConfig config_;
  std::string config_json_;  // as start() was given it, for checkpoints
  std::unique_ptr<Model> model_;
  std::unique_ptr<TrainingRun> run_;  // trains model_ on split_
  std::vector<uint8_t> test_predictions_;
  std::vector<float> test_probabilities_;
  std::vector<uint8_t> quantized_;  // the latest quantize_model's int8 file
  DataPreview preview_;
};

}  // namespace dt
