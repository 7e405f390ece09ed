// Whole-file reads and writes with messages a user can act on.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "util/result.h"

namespace dt {

Result<std::vector<uint8_t>> read_file(const std::string& path);
Status write_file(const std::string& path, const std::vector<uint8_t>& bytes);
// Whether write_file(path, ...) can create its file, found out by creating and removing the
// temporary it writes first; lets a command fail before hours of work rather than after.
Status check_writable(const std::string& path);

}  // namespace dt
