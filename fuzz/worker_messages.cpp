// Fuzzes the UI's reading of the worker's messages (app/worker_messages.h
// apply_worker_message): JSON text that arrives from the training worker, and from the
// browser's storage when a run is restored after a reload. Input: one or more messages, each
// ended by a NUL byte, applied in order to one AppState, as a run's messages are.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "app/app_state.h"
#include "app/worker_messages.h"
#include "fuzz_check.h"

// The pad's network, which no message touches, stays empty here: the real constructor
// (app/inference.cpp) builds and initialises keras-cnn, which under the sanitizers would make
// every input cost 8 ms instead of microseconds.
dt::Inference::Inference() = default;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  dt::AppState app;
  for (const std::string& message : dt::fuzz::split_on_nul(data, size)) dt::apply_worker_message(app, message);
  return 0;
}
