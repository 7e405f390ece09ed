// The UI's commands to the page (web/main.js), built in one place. Each returns the JSON text
// that send_command() carries; the page passes start, pause, resume, stop and set on to the
// worker and does save, reset, reopen, forget and open itself. Message types come from protocol/protocol.h.
#pragma once
#include <cstdint>
#include <string>

#include "app/app_state.h"

namespace dt::commands {

// A new run with the Train panel's settings on `dataset`. With `resume`, the page adds the
// weights (and the settings the panel leaves out) of the run saved before a reload.
std::string start(const TrainSettings& settings, const std::string& dataset, bool resume);
std::string pause();
std::string resume();
std::string stop();
std::string set_lr(float lr);  // applied from the running session's next step
std::string save();            // download the latest weights as .safetensors
std::string reset();           // back to an untrained model; the saved run is forgotten
std::string reopen(int64_t id);  // a past run (web/run_history.js) becomes the run on screen
std::string forget(int64_t id);  // a past run is deleted from the browser's storage
std::string open();              // the page asks for a model file (.safetensors) and opens it
std::string quantize();          // the weights on screen as int8 (the page adds them; answered by `quantize`)
std::string save_int8();         // download the int8 model the latest `quantize` made
// What a run with these settings would train on: class counts and `count` samples, as the
// network gets them (the worker answers with a `samples` message).
std::string samples(const TrainSettings& settings, const std::string& dataset, int seed, int count);

}  // namespace dt::commands
