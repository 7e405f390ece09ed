#include "data/idx.h"

namespace dt {

namespace {
uint32_t be32(const uint8_t* p) {
  return (uint32_t(p[0]) << 24) | (uint32_t(p[1]) << 16) | (uint32_t(p[2]) << 8) | uint32_t(p[3]);
}

// "0x0d": the IDX spec lists its type codes in hex, so messages do too.
std::string hex_byte(uint8_t b) {
  const char* digits = "0123456789abcdef";
  return std::string("0x") + digits[b >> 4] + digits[b & 15];
}
}  // namespace

Result<IdxArray> parse_idx(const uint8_t* bytes, size_t size, const std::string& what) {
  const std::string hint = "; the file is damaged or not an MNIST-style idx file";
  if (size < 4) return Error{what + ": too short to be an IDX file (" + std::to_string(size) + " bytes)" + hint};
  if (bytes[0] != 0 || bytes[1] != 0)
    return Error{what + ": not an IDX file (bad magic number; is it still gzip-compressed?)" + hint};
  if (bytes[2] != 0x08)
    return Error{what + ": IDX data type " + hex_byte(bytes[2]) + " is not unsigned bytes (0x08)" + hint};
  const int ndim = bytes[3];
  if (ndim < 1 || ndim > 4) return Error{what + ": IDX file has " + std::to_string(ndim) + " dimensions (1 to 4 expected)" + hint};
  const size_t header = 4 + 4 * static_cast<size_t>(ndim);
  if (size < header) return Error{what + ": truncated IDX header" + hint};
  IdxArray a;
  uint64_t count = 1;
  for (int d = 0; d < ndim; ++d) {
    const uint32_t n = be32(bytes + 4 + 4 * d);
    if (n == 0 || n > (1u << 30)) return Error{what + ": IDX dimension " + std::to_string(d) + " has size " + std::to_string(n) + hint};
    a.dims.push_back(static_cast<int>(n));
    count *= n;
    if (count > (uint64_t(1) << 34)) return Error{what + ": IDX sizes are implausibly large" + hint};
  }
  if (size - header != count)
    return Error{what + ": IDX header promises " + std::to_string(count) + " bytes of data but the file has " +
                 std::to_string(size - header) + (size - header < count ? " (truncated)" : " (trailing bytes)") + hint};
  a.data.assign(bytes + header, bytes + size);
  return a;
}

}  // namespace dt
