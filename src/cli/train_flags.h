// The flags `digitrain train` knows (cli/args.h), in a header of their own so that the command
// and the argument parser's fuzz harness (fuzz/cli_args.cpp) use the same list.
#pragma once
#include "cli/args.h"

namespace dt::cli {

inline const FlagSpec kTrainFlags{{"preset", "epochs", "batch", "lr", "optimizer", "momentum", "schedule", "l1", "l2",
                                   "loss", "focal-gamma", "label-smoothing", "arch", "from", "rotate", "scale", "shift", "elastic", "elastic-sigma", "val", "patience", "limit",
                                   "threads", "seed", "dataset", "data", "save"},
                                  {"json", "augment", "no-progress"}};

}  // namespace dt::cli
