#include "cli/inputs.h"

#include "io/safetensors.h"
#include "util/file.h"

namespace dt::cli {

namespace {
Result<std::string> data_dir(const Args& a) {
  if (a.has("data")) return a.get("data");
  const std::string dataset = a.get("dataset", "mnist");
  if (dataset == "mnist") return std::string(DT_DEFAULT_MNIST_DIR);
  if (dataset == "fashion") return std::string(DT_DEFAULT_FASHION_DIR);
  return Error{"--dataset must be mnist or fashion, not '" + dataset + "'"};
}
}  // namespace

Result<TrainTest> load_data(const Args& a) {
  auto dir = data_dir(a);
  if (!dir) return Error{dir.error()};
  auto data = load_mnist_dir(*dir);
  // The library says what is wrong with the files; how to fix it is the CLI's to say.
  if (!data) return Error{data.error() + "; point --data at a folder with the four MNIST idx files (`make setup` installs MNIST)"};
  return data;
}

Result<Model> load_model_file(const std::string& path) {
  if (path.empty()) return Error{"--model FILE is required"};
  auto bytes = read_file(path);
  if (!bytes) return Error{bytes.error()};
  return load_safetensors(bytes->data(), bytes->size(), path);
}

}  // namespace dt::cli
