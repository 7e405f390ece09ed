#include "util/format_duration.h"

#include <cmath>
#include <cstdio>

namespace dt {

std::string format_duration(double s) {
  // The upper bound keeps the conversion below defined (an ETA can be huge at the start).
  if (!std::isfinite(s) || s < 0 || s > 1e15) return "?";
  const long long t = static_cast<long long>(s + 0.5);  // long is 32 bits in WebAssembly
  char buf[40];
  if (t >= 3600)
    std::snprintf(buf, sizeof buf, "%lld:%02lld:%02lld", t / 3600, (t / 60) % 60, t % 60);
  else
    std::snprintf(buf, sizeof buf, "%lld:%02lld", t / 60, t % 60);
  return buf;
}

}  // namespace dt
