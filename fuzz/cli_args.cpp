// Fuzzes the command line's argument parser (cli/args.h) with the flags of `digitrain train`,
// the command with the most, and every typed getter the commands use on what it accepted.
// Input: the arguments after the command's name, each ended by a NUL byte, as in argv.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "cli/args.h"
#include "cli/train_flags.h"
#include "fuzz_check.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace dt::cli;
  const std::vector<std::string> argv = dt::fuzz::split_on_nul(data, size);
  dt::Result<Args> args = Args::parse(argv, kTrainFlags, "train");
  if (!args) {
    DT_FUZZ_CHECK(!args.error().empty());
    return 0;
  }
  for (const std::string& name : kTrainFlags.switches)
    if (args->has(name)) DT_FUZZ_CHECK(args->get(name) == "1");
  for (const std::string& name : kTrainFlags.with_value) {
    const std::string value = args->get(name, "fallback");
    DT_FUZZ_CHECK(args->has(name) || value == "fallback");
    dt::Result<long> whole = args->integer(name, -3);
    if (!whole) DT_FUZZ_CHECK(args->has(name) && !whole.error().empty());
    if (!args->has(name)) DT_FUZZ_CHECK(whole.ok() && *whole == -3);
    dt::Result<double> number = args->number(name, 0.5);
    if (number) DT_FUZZ_CHECK(std::isfinite(*number));
    else DT_FUZZ_CHECK(args->has(name) && !number.error().empty());
  }
  return 0;
}
