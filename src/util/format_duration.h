// A duration as people read it on a clock: "0:07", "1:05", "1:02:03" (hours only when there
// are some). The CLI's progress bar and the page's ETA both show it.
#pragma once
#include <string>

namespace dt {

// Rounded to the second; "?" for a negative or non-finite time (an ETA not known yet).
std::string format_duration(double seconds);

}  // namespace dt
