// Whole-file reads and writes: a round trip through a temporary folder, and messages that name
// the path for each way the file system can say no.
#include <doctest/doctest.h>

#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

#include "util/file.h"

namespace dt {
namespace {

bool contains(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }

bool exists(const std::string& path) {
  struct stat st;
  return stat(path.c_str(), &st) == 0;
}

// A fresh folder under /tmp, removed with its files at the end of the test.
struct TempDir {
  std::string path;
  std::vector<std::string> files;
  TempDir() {
    const auto ticks = std::chrono::steady_clock::now().time_since_epoch().count();
    path = "/tmp/digitrain-file-test-" + std::to_string(getpid()) + "-" + std::to_string(ticks);
    REQUIRE(mkdir(path.c_str(), 0700) == 0);
  }
  std::string file(const std::string& name) {
    files.push_back(path + "/" + name);
    return files.back();
  }
  ~TempDir() {
    for (const auto& f : files) std::remove(f.c_str());
    rmdir(path.c_str());
  }
};

TEST_CASE("file: written bytes read back identically, replacing the old contents") {
  TempDir dir;
  const std::string path = dir.file("model.bin");
  std::vector<uint8_t> bytes(200000);
  for (size_t i = 0; i < bytes.size(); ++i) bytes[i] = static_cast<uint8_t>(i * 7 + (i >> 9));
  REQUIRE(write_file(path, bytes).ok());
  auto back = read_file(path);
  REQUIRE(back.ok());
  CHECK(*back == bytes);
  CHECK_FALSE(exists(path + ".partial"));

  REQUIRE(write_file(path, {1, 2, 3}).ok());
  CHECK(read_file(path).value() == std::vector<uint8_t>{1, 2, 3});
  REQUIRE(write_file(path, {}).ok());
  CHECK(read_file(path).value().empty());
}

TEST_CASE("file: reading a missing file names the path and the reason") {
  auto r = read_file("/tmp/digitrain-no-such-folder/none.safetensors");
  REQUIRE_FALSE(r.ok());
  CHECK(contains(r.error(), "/tmp/digitrain-no-such-folder/none.safetensors: "));
  CHECK(contains(r.error(), "No such file"));
}

TEST_CASE("file: reading a folder says it is a folder") {
  TempDir dir;
  auto r = read_file(dir.path);
  REQUIRE_FALSE(r.ok());
  CHECK(contains(r.error(), "is a folder, not a file"));
}

TEST_CASE("file: writing into a missing folder fails and leaves nothing behind") {
  const std::string path = "/tmp/digitrain-no-such-folder/model.safetensors";
  const Status s = write_file(path, {1, 2, 3});
  REQUIRE_FALSE(s.ok());
  CHECK(contains(s.error, path + ": cannot write"));
  CHECK_FALSE(exists(path + ".partial"));
}

TEST_CASE("file: writing over a folder fails without removing it") {
  TempDir dir;
  const std::string sub = dir.path + "/sub";
  REQUIRE(mkdir(sub.c_str(), 0700) == 0);
  dir.files.push_back(sub + ".partial");  // in case it is left behind
  const Status s = write_file(sub, {1});
  CHECK_FALSE(s.ok());
  CHECK_FALSE(s.error.empty());
  CHECK_FALSE(exists(sub + ".partial"));
  struct stat st;
  CHECK((stat(sub.c_str(), &st) == 0 && S_ISDIR(st.st_mode)));
  rmdir(sub.c_str());
}

TEST_CASE("file: check_writable answers before any real write, leaving no file") {
  TempDir dir;
  const std::string path = dir.file("later.safetensors");
  CHECK(check_writable(path).ok());
  CHECK_FALSE(exists(path));
  CHECK_FALSE(exists(path + ".partial"));
  CHECK(contains(check_writable("/tmp/digitrain-no-such-folder/x").error, "cannot write"));
  CHECK(contains(check_writable(dir.path).error, "is a folder"));
  CHECK_FALSE(check_writable("").ok());
}

}  // namespace
}  // namespace dt
