#include "app/word_wrap.h"

namespace dt {

std::string wrap_at_spaces(const std::string& text, float width, const std::function<float(const std::string&)>& measure) {
  std::string out = text;
  size_t line_start = 0;   // where the current line begins in `out`
  size_t last_space = std::string::npos;  // the latest space on it, where it may break
  for (size_t i = 0; i <= out.size(); ++i) {
    if (i < out.size() && out[i] == '\n') {
      line_start = i + 1;
      last_space = std::string::npos;
      continue;
    }
    if (i < out.size() && out[i] != ' ') continue;
    // A word ends at i: does the line up to here still fit?
    if (last_space != std::string::npos && measure(out.substr(line_start, i - line_start)) > width) {
      out[last_space] = '\n';
      line_start = last_space + 1;
    }
    last_space = i < out.size() ? i : std::string::npos;
  }
  return out;
}

}  // namespace dt
