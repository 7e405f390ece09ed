// Wrapping at spaces only: numbers stay whole, lines fit where they can, single words are kept.
#include <doctest/doctest.h>

#include <string>

#include "app/word_wrap.h"

namespace dt {
namespace {

// One unit per character, as a monospaced font.
float chars(const std::string& s) { return static_cast<float>(s.size()); }

TEST_CASE("word wrap: breaks at the last space that keeps a line within the width") {
  CHECK(wrap_at_spaces("up to 0.33, pixel x d logit", 12, chars) == "up to 0.33,\npixel x d\nlogit");
  CHECK(wrap_at_spaces("short", 12, chars) == "short");
  CHECK(wrap_at_spaces("", 12, chars) == "");
}

TEST_CASE("word wrap: never inside a number, even where ImGui would break after its point") {
  const std::string wrapped = wrap_at_spaces("the evidence for 7 (up to 0.33, pixel", 22, chars);
  CHECK(wrapped.find("0.33") != std::string::npos);
  for (size_t start = 0, end; start <= wrapped.size(); start = end + 1) {
    end = wrapped.find('\n', start);
    if (end == std::string::npos) end = wrapped.size();
    CHECK(end - start <= 22);
  }
}

TEST_CASE("word wrap: a word wider than the line stays whole on its own line; newlines start lines") {
  CHECK(wrap_at_spaces("a 0.000012345678 b", 5, chars) == "a\n0.000012345678\nb");
  CHECK(wrap_at_spaces("one two\nthree four", 9, chars) == "one two\nthree\nfour");
}

}  // namespace
}  // namespace dt
