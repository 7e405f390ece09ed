// digitrain: train, evaluate and use MNIST CNNs from the command line.
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "cli/commands.h"

namespace {

const char* kUsage = R"(usage: digitrain COMMAND [flags]

commands:
  presets                      list the named models and their training settings
  train   [--preset NAME]      train a model on MNIST, report test metrics
          [--epochs N] [--batch N] [--lr X] [--optimizer sgd|momentum|nesterov|rmsprop|adam]
          [--momentum X] [--schedule constant|step|cosine|one-cycle] [--l1 X] [--l2 X]
          [--loss cross-entropy|focal|mse] [--augment] [--rotate DEG] [--scale F] [--shift PX]
          [--val F] [--patience N] [--limit N] [--threads N] [--seed N]
          [--dataset mnist|fashion] [--data DIR] [--save FILE.safetensors] [--json]
  eval    --model FILE         test-set accuracy, per-class scores and confusion matrix
          [--dataset mnist|fashion] [--data DIR] [--threads N] [--json]
  predict --model FILE         classify test image --index N, or a 28x28 --pgm FILE
          [--dataset mnist|fashion] [--data DIR] [--json]
  bench   [--json] [--quick]   kernel GFLOP/s and training samples/s on this machine

--data defaults to the MNIST files that setup installed.
)";

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2 || !std::strcmp(argv[1], "help") || !std::strcmp(argv[1], "--help") || !std::strcmp(argv[1], "-h")) {
    std::fputs(kUsage, argc < 2 ? stderr : stdout);
    return argc < 2 ? 2 : 0;
  }
  const std::string command = argv[1];
  const std::vector<std::string> args(argv + 2, argv + argc);
  if (command == "presets") return dt::cli::cmd_presets(args);
  if (command == "train") return dt::cli::cmd_train(args);
  if (command == "eval") return dt::cli::cmd_eval(args);
  if (command == "predict") return dt::cli::cmd_predict(args);
  if (command == "bench") return dt::cli::cmd_bench(args);
  std::fprintf(stderr, "digitrain: unknown command '%s' (see `digitrain help`)\n", command.c_str());
  return 2;
}
