// The IDX format of the MNIST files (LeCun et al.): a big-endian header
//   0x00 0x00 <type> <ndim> then ndim uint32 sizes, then the data.
// Parsed from a memory buffer, because in the browser the bytes arrive from fetch(), not from
// a file. Only unsigned-byte data (type 0x08) is accepted: it is what every MNIST-style file
// uses. Every way a file can be broken gets its own message.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "util/result.h"

namespace dt {

struct IdxArray {
  std::vector<int> dims;
  std::vector<uint8_t> data;  // row-major, product(dims) bytes
};

// `what` names the input in messages (e.g. the file's path).
Result<IdxArray> parse_idx(const uint8_t* bytes, size_t size, const std::string& what);

}  // namespace dt
