// The live one-line progress display of `digitrain train` on a terminal.
#pragma once
#include <string>

#include "train/trainer.h"

namespace dt::cli {

// "epoch 2/5 [#######.....] 812/1688  loss 0.0412  acc 98.71%  9120 samples/s  ETA 0:23"
std::string progress_line(const StepReport& r, int epochs, double samples_per_second, double eta_seconds, int width);

}  // namespace dt::cli
