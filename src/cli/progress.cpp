#include "cli/progress.h"

#include <cstdio>

#include "util/format_duration.h"

namespace dt::cli {

std::string progress_line(const StepReport& r, int epochs, double sps, double eta, int width) {
  const double frac = r.steps_per_epoch ? double(r.step_in_epoch) / double(r.steps_per_epoch) : 0.0;
  const int filled = static_cast<int>(frac * width + 0.5);
  std::string bar(static_cast<size_t>(width), '.');
  for (int i = 0; i < filled && i < width; ++i) bar[i] = '#';
  char buf[256];
  std::snprintf(buf, sizeof buf, "epoch %d/%d [%s] %ld/%ld  loss %.4f  acc %.2f%%  %.0f samples/s  ETA %s", r.epoch + 1,
                epochs, bar.c_str(), r.step_in_epoch, r.steps_per_epoch, r.epoch_loss, 100.0 * r.epoch_accuracy, sps,
                format_duration(eta).c_str());
  return buf;
}

}  // namespace dt::cli
