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
          [--arch NET.json]    the preset's training settings on these layers instead (the
                               architecture JSON a saved model carries; `presets --json` shows it)
          [--from MODEL.safetensors]  train on from a saved model's weights, on its layers
          [--epochs N] [--batch N] [--lr X] [--optimizer sgd|momentum|nesterov|rmsprop|adam]
          [--momentum X] [--schedule constant|step|cosine|one-cycle] [--l1 X] [--l2 X]
          [--loss cross-entropy|focal|mse] [--label-smoothing F]
          [--augment] [--rotate DEG] [--scale F] [--shift PX] [--elastic ALPHA] [--elastic-sigma PX]
          [--val F] [--patience N] [--limit N] [--threads N] [--seed N]
          [--dataset mnist|fashion] [--data DIR] [--save FILE.safetensors] [--json]
  eval    --model FILE         test-set accuracy, per-class scores and confusion matrix of a
                               float or an int8 model
          [--predictions OUT.csv]  also each test image's label, predicted class and class
                               probabilities, one CSV row per image
          [--dataset mnist|fashion] [--data DIR] [--threads N] [--json]
  quantize --model FILE --out INT8.safetensors
                               an int8 copy of a float model: per-channel int8 weights,
                               8-bit activations calibrated on training images; reports test
                               accuracy before and after, file sizes and inference speed
          [--calibration N]    how many training images calibrate (default 500, chosen by --seed)
          [--seed N] [--dataset mnist|fashion] [--data DIR] [--json]
  predict --model FILE         classify test image --index N, or a 28x28 --pgm FILE
          [--dataset mnist|fashion] [--data DIR] [--json]
  explain --model FILE         why the model gives test image --index N, or a 28x28 --pgm FILE,
                               its class: a signed value per pixel (positive: evidence for it)
          [--class K]          the class to explain (default: the predicted one)
          [--method gradient|occlusion]  gradient x input of the class's logit (default), or the
                               drop in its probability when a 5x5 patch around a pixel is blanked
          [--out MAP.pgm]      write the map as a 28x28 8-bit PGM: 128 = 0, 255 and 1 = the
                               map's largest |value|, positive and negative
          [--dataset mnist|fashion] [--data DIR] [--json]
  bench   [--json] [--quick] [--training-only]
                               kernel GFLOP/s and training samples/s on this machine

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
  if (command == "quantize") return dt::cli::cmd_quantize(args);
  if (command == "predict") return dt::cli::cmd_predict(args);
  if (command == "explain") return dt::cli::cmd_explain(args);
  if (command == "bench") return dt::cli::cmd_bench(args);
  std::fprintf(stderr, "digitrain: unknown command '%s' (see `digitrain help`)\n", command.c_str());
  return 2;
}
