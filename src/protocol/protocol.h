// The page's message protocol, defined once: the run states and the message types that travel
// between the UI (src/app), the page's glue (web/main.js and its modules) and the training
// worker (web/worker.js over src/worker). Every message is a plain object whose `type` is one
// of the names below; the fields of each are listed in docs/web-app.md.
//
// web/protocol.js carries the same names for JavaScript; tests/web/protocol.test.js reads the
// tables in this file and fails when the two differ, so keep the tables in this simple form.
#pragma once
#include <string>

#include "util/enum_names.h"
#include "util/result.h"

namespace dt {

// Where a training run is, as the worker reports it and the page and the UI show it.
enum class RunState { loading, idle, training, paused, done, error };

inline constexpr EnumName<RunState> kRunStateNames[] = {
    {RunState::loading, "loading"},    // fetching a dataset (or the engine)
    {RunState::idle, "idle"},          // ready to train; also after stop
    {RunState::training, "training"},
    {RunState::paused, "paused"},
    {RunState::done, "done"},          // the run finished its epochs (or stopped early)
    {RunState::error, "error"},        // something went wrong; the message says what
};

enum class MessageType {
  // Commands (UI -> page; those the worker handles are passed on to it).
  start, pause, resume, stop, set, save, reset, reopen, forget, open,
  // Commands whose answer has the same name (UI -> page -> worker -> page -> UI).
  samples, quantize,
  // Asked by the page, answered by the worker with the same name (page -> worker -> page).
  evaluate,
  // Reports (worker -> page -> UI).
  loading, ready, testset, started, state, progress, evaluating, epoch, predictions, weights, error,
  // From the page alone (page -> UI).
  restored, notice, history,
};

inline constexpr EnumName<MessageType> kMessageTypeNames[] = {
    {MessageType::start, "start"},              // {config, weights?, checkpoint?}: a new run, or one continued
    {MessageType::pause, "pause"},
    {MessageType::resume, "resume"},
    {MessageType::stop, "stop"},
    {MessageType::set, "set"},                  // {lr}: a new learning rate from the next step
    {MessageType::save, "save"},                // download the latest weights (the page does it)
    {MessageType::reset, "reset"},              // forget the run and its saved copy
    {MessageType::reopen, "reopen"},            // {id}: a past run becomes the run on screen (the page does it)
    {MessageType::forget, "forget"},            // {id}: delete a past run from the browser's storage
    {MessageType::open, "open"},                // ask for a model file (the page shows its file picker)
    {MessageType::samples, "samples"},          // {config, seed, count} -> {dataset, images, labels, trainCounts, valCounts, augment} or {error}
    {MessageType::quantize, "quantize"},        // {} -> {name, dataset, calibration, floatAccuracy, int8Accuracy, floatBytes, int8Bytes, floatUs, int8Us} or {name, error}; the page adds the run's weights on the way to the worker, and keeps the int8 file
    {MessageType::evaluate, "evaluate"},        // {name, bytes} -> {name, dataset, preset, architecture, layers, parameters, settings, epoch, predicted, probabilities} or {name, error}
    {MessageType::loading, "loading"},          // {dataset, file, loaded, total}: the dataset's compressed bytes so far
    {MessageType::ready, "ready"},              // {maxThreads, simd, crossOriginIsolated, datasets, datasetBytes}
    {MessageType::testset, "testset"},          // {dataset, images, labels}
    {MessageType::started, "started"},          // {config, settings, threads, resumed, exact}
    {MessageType::state, "state"},              // {state}: a RunState name
    {MessageType::progress, "progress"},        // after every training slice
    {MessageType::evaluating, "evaluating"},    // {epoch, epochs}: that epoch's validation and test evaluation starts (seconds)
    {MessageType::epoch, "epoch"},              // metrics and the 10x10 test confusion matrix
    {MessageType::predictions, "predictions"},  // {dataset, predicted, probabilities}
    {MessageType::weights, "weights"},          // {bytes, checkpoint?}: weights, and the exact checkpoint
    {MessageType::error, "error"},              // {message}: what went wrong, in words
    {MessageType::restored, "restored"},        // {savedAt, preset, settings, progress, epoch, curves, opened?, ...}: a run came back from storage, or a model file was opened
    {MessageType::notice, "notice"},            // {message}: worth knowing, not an error (a saved run set aside)
    {MessageType::history, "history"},          // {runs}: the past runs kept in the browser, newest first
};

// Which types travel which way. The page passes every worker report but `evaluate` on to the
// UI (binary payloads through their own calls) and adds what it keeps in storage or was given:
// `restored` (also an opened model file), `notice` and `history`.
inline constexpr MessageType kUiToPage[] = {
    MessageType::start, MessageType::pause, MessageType::resume, MessageType::stop,
    MessageType::set,   MessageType::save,  MessageType::reset, MessageType::reopen, MessageType::forget,
    MessageType::open,  MessageType::samples, MessageType::quantize,
};
inline constexpr MessageType kPageToWorker[] = {
    MessageType::start, MessageType::pause, MessageType::resume, MessageType::stop, MessageType::set, MessageType::samples,
    MessageType::quantize, MessageType::evaluate,
};
// `evaluate` answers the page alone: an opened model file reaches the UI as `restored`.
inline constexpr MessageType kWorkerToPage[] = {
    MessageType::loading,  MessageType::ready, MessageType::testset,     MessageType::started,
    MessageType::state,    MessageType::progress, MessageType::evaluating, MessageType::epoch,
    MessageType::predictions, MessageType::weights,  MessageType::error, MessageType::samples,
    MessageType::quantize, MessageType::evaluate,
};
inline constexpr MessageType kPageToUi[] = {
    MessageType::loading,  MessageType::ready, MessageType::testset,     MessageType::started,
    MessageType::state,    MessageType::progress, MessageType::evaluating, MessageType::epoch,
    MessageType::predictions, MessageType::weights,  MessageType::error, MessageType::samples, MessageType::quantize,
    MessageType::restored, MessageType::notice, MessageType::history,
};

const char* run_state_name(RunState state);
Result<RunState> parse_run_state(const std::string& name);
const char* message_type_name(MessageType type);
Result<MessageType> parse_message_type(const std::string& name);

}  // namespace dt
