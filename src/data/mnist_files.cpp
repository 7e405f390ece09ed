#include "data/mnist_files.h"

#include <sys/stat.h>
#include <zlib.h>

#include <cerrno>
#include <cstring>
#include <vector>

namespace dt {

namespace {

bool exists(const std::string& path) {
  struct stat st;
  return stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode);
}

// Reads `dir/name` or `dir/name.gz`; zlib reads plain files unchanged.
Result<std::vector<uint8_t>> read_maybe_gz(const std::string& dir, const std::string& name) {
  std::string path = dir + "/" + name;
  if (!exists(path)) path += ".gz";
  if (!exists(path))
    return Error{"missing " + dir + "/" + name + " (or .gz): the folder must hold the four MNIST idx files"};
  gzFile f = gzopen(path.c_str(), "rb");
  if (!f) return Error{path + ": cannot open (" + std::strerror(errno) + "); check its permissions"};
  std::vector<uint8_t> out;
  uint8_t buf[1 << 16];
  int got;
  while ((got = gzread(f, buf, sizeof buf)) > 0) out.insert(out.end(), buf, buf + got);
  int err = 0;
  const char* msg = gzerror(f, &err);
  const bool failed = got < 0 || (err != Z_OK && err != Z_STREAM_END);
  const std::string why = failed && msg ? msg : "";
  gzclose(f);
  if (failed) return Error{path + ": cannot decompress (" + why + "); the file is corrupt"};
  return out;
}

Result<Dataset> load_pair(const std::string& dir, const std::string& prefix, const std::string& what) {
  auto images = read_maybe_gz(dir, prefix + "-images-idx3-ubyte");
  if (!images) return Error{images.error()};
  auto labels = read_maybe_gz(dir, prefix + "-labels-idx1-ubyte");
  if (!labels) return Error{labels.error()};
  return parse_dataset(images->data(), images->size(), labels->data(), labels->size(), dir + "/" + prefix + " " + what);
}

}  // namespace

Result<TrainTest> load_mnist_dir(const std::string& dir) {
  struct stat st;
  if (stat(dir.c_str(), &st) != 0)
    return Error{"data folder " + dir + " does not exist"};
  if (!S_ISDIR(st.st_mode))  // a common slip: naming one of the files instead of their folder
    return Error{dir + " is not a folder; name the folder that holds the four MNIST idx files"};
  auto train = load_pair(dir, "train", "set");
  if (!train) return Error{train.error()};
  auto test = load_pair(dir, "t10k", "set");
  if (!test) return Error{test.error()};
  // Evaluation reads test images at the training images' size; a folder that mixes two
  // datasets must not get that far.
  if (test->height != train->height || test->width != train->width)
    return Error{dir + ": the training images are " + std::to_string(train->height) + "x" + std::to_string(train->width) +
                 " but the test images are " + std::to_string(test->height) + "x" + std::to_string(test->width) +
                 "; the folder mixes files from two datasets"};
  return TrainTest{std::move(*train), std::move(*test)};
}

}  // namespace dt
