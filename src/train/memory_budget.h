// How much memory a training run holds, worked out before anything is allocated, so that a
// batch too big for the machine (or for the page's 2 GB of WebAssembly memory) is an error that
// says how big a batch fits, rather than an abort out of memory, or, in wasm's 32-bit sizes, a
// size that wraps around.
#pragma once
#include <cstdint>

#include "nn/model.h"
#include "recipe/train_config.h"
#include "util/result.h"

namespace dt {

// Bytes the trainer allocates for `model` trained with `config` on `threads` threads: each
// thread's workspace (activations, what backward keeps, scratch, gradients of one shard of the
// batch) and gradient copy, and the optimiser's state. In 64-bit arithmetic whatever the batch.
int64_t training_bytes(const Model& model, const TrainConfig& config, int threads);

// The memory a run may take here: in the page's worker, its WebAssembly memory limit less the
// datasets and the code; natively, three quarters of the machine's physical memory.
int64_t training_memory_budget();

// An error naming the need, the budget and the largest batch that fits, when the run would
// not fit in `budget` bytes.
Status check_training_memory(const Model& model, const TrainConfig& config, int threads, int64_t budget);

}  // namespace dt
