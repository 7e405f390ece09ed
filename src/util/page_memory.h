// The memory a training run may take in the page's worker: its WebAssembly module may grow to
// 2 GB (src/worker/CMakeLists.txt), of which the datasets, their split and the code take about
// half a gigabyte. The worker holds runs to it (train/memory_budget.h); the network editor
// warns before one is started.
#pragma once
#include <cstdint>

namespace dt {

inline constexpr int64_t kPageTrainingBytes = int64_t{1536} << 20;

}  // namespace dt
