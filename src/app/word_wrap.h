// Wrapping text at spaces only. ImGui's own wrapping may also break after '.', ',' or ';',
// which splits a number in two ("up to 0." on one line, "33" on the next); the panels' text
// carries numbers, so it is wrapped here instead, a whole word at a time.
#pragma once
#include <functional>
#include <string>

namespace dt {

// `text` with each space that ends a line replaced by '\n', so that no line is wider than
// `width` as `measure` sizes it, unless it is a single word (which is never split).
std::string wrap_at_spaces(const std::string& text, float width, const std::function<float(const std::string&)>& measure);

// ImGui::TextWrapped's replacement: printf-style text, wrapped at spaces to the space left in
// the window.
void text_wrapped(const char* fmt, ...) __attribute__((format(printf, 1, 2)));

}  // namespace dt
