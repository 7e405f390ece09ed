// text_wrapped (app/word_wrap.h): ImGui's side of wrapping at spaces.
#include <imgui.h>

#include <cstdarg>
#include <cstdio>
#include <vector>

#include "app/word_wrap.h"

namespace dt {

void text_wrapped(const char* fmt, ...) {
  va_list args, copy;
  va_start(args, fmt);
  va_copy(copy, args);
  const int n = std::vsnprintf(nullptr, 0, fmt, copy);
  va_end(copy);
  std::vector<char> buf(n > 0 ? n + 1 : 1, '\0');
  if (n > 0) std::vsnprintf(buf.data(), buf.size(), fmt, args);
  va_end(args);
  const float width = ImGui::GetContentRegionAvail().x;
  const std::string text = wrap_at_spaces(buf.data(), width, [](const std::string& s) { return ImGui::CalcTextSize(s.c_str()).x; });
  ImGui::TextUnformatted(text.c_str());
}

}  // namespace dt
