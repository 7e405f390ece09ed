#include "util/file.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <sys/stat.h>

namespace dt {

Result<std::vector<uint8_t>> read_file(const std::string& path) {
  struct stat st;
  if (stat(path.c_str(), &st) != 0) return Error{path + ": " + std::strerror(errno)};
  if (S_ISDIR(st.st_mode)) return Error{path + ": is a folder, not a file"};
  // Devices and pipes (/dev/zero, /dev/stdin) may never end: reading one would hang or run
  // out of memory.
  if (!S_ISREG(st.st_mode)) return Error{path + ": is not a regular file"};
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (!f) return Error{path + ": cannot open (" + std::strerror(errno) + ")"};
  std::vector<uint8_t> bytes;
  uint8_t buf[1 << 16];
  size_t got;
  while ((got = std::fread(buf, 1, sizeof buf, f)) > 0) bytes.insert(bytes.end(), buf, buf + got);
  const bool failed = std::ferror(f);
  std::fclose(f);
  if (failed) return Error{path + ": read error"};
  return bytes;
}

Status write_file(const std::string& path, const std::vector<uint8_t>& bytes) {
  const std::string tmp = path + ".partial";  // never leave a half-written file under the real name
  std::FILE* f = std::fopen(tmp.c_str(), "wb");
  if (!f) return fail(path + ": cannot write (" + std::strerror(errno) + ")");
  // An empty vector's data() may be null, and fwrite's pointer must never be, even for no bytes.
  const bool ok = bytes.empty() || std::fwrite(bytes.data(), 1, bytes.size(), f) == bytes.size();
  if (std::fclose(f) != 0 || !ok) {
    std::remove(tmp.c_str());
    return fail(path + ": write failed (disk full?)");
  }
  if (std::rename(tmp.c_str(), path.c_str()) != 0) {
    std::remove(tmp.c_str());
    return fail(path + ": cannot replace (" + std::string(std::strerror(errno)) + ")");
  }
  return Status::success();
}

Status check_writable(const std::string& path) {
  if (path.empty()) return fail("no file name given to write to");
  struct stat st;
  if (stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode)) return fail(path + ": is a folder; give a file name");
  const std::string tmp = path + ".partial";
  std::FILE* f = std::fopen(tmp.c_str(), "wb");
  if (!f) return fail(path + ": cannot write (" + std::strerror(errno) + ")");
  std::fclose(f);
  std::remove(tmp.c_str());
  return Status::success();
}

}  // namespace dt
