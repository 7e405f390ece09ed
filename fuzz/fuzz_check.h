// What the harnesses share: a property that must hold whatever the input (a broken one is a
// bug, reported and stopped on, so libFuzzer keeps the input), and splitting one input into
// several strings.
#pragma once
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

// A handled error (a Result holding a message) is the expected answer to a bad input and never
// reaches this; only a broken promise of the code under test does.
#define DT_FUZZ_CHECK(condition)                                                              \
  do {                                                                                        \
    if (!(condition)) {                                                                       \
      std::fprintf(stderr, "%s:%d: property failed: %s\n", __FILE__, __LINE__, #condition); \
      std::abort();                                                                           \
    }                                                                                         \
  } while (0)

namespace dt::fuzz {

// The input cut at every NUL byte. A NUL at the very end closes the last piece rather than
// starting an empty one, so that seed files can end each piece with a NUL.
inline std::vector<std::string> split_on_nul(const uint8_t* data, size_t size) {
  std::vector<std::string> pieces;
  std::string piece;
  for (size_t i = 0; i < size; ++i) {
    if (data[i] == 0) {
      pieces.push_back(piece);
      piece.clear();
    } else {
      piece.push_back(static_cast<char>(data[i]));
    }
  }
  if (size > 0 && data[size - 1] != 0) pieces.push_back(piece);
  return pieces;
}

}  // namespace dt::fuzz
