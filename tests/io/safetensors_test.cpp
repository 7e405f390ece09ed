// .safetensors models: a bit-exact round trip, a header any safetensors reader accepts, a
// clear message for every way a file can be wrong, and a seeded fuzz run over damaged files.
#include <doctest/doctest.h>

#include <cmath>
#include <limits>

#include <cstdint>
#include <cstring>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "io/safetensors.h"
#include "util/rng.h"
#include "nn/layers/activation_layers.h"
#include "nn/layers/batchnorm_layer.h"
#include "nn/layers/conv2d_layer.h"
#include "nn/layers/dense_layer.h"
#include "nn/layers/dropout_layer.h"
#include "nn/layers/flatten_layer.h"
#include "nn/layers/pool_layers.h"

namespace dt {
namespace {

using nlohmann::json;

// Every layer type with parameters, plus the shape-changing ones, on 8x8 inputs.
ModelSpec small_spec(int filters = 4) {
  ModelSpec s;
  s.height = s.width = 8;
  s.channels = 1;
  s.init = Init::he_uniform;
  s.layers = {Conv2dParams{filters, 3}, BatchNormParams{1e-3f, 0.9f}, ReluParams{}, MaxPoolParams(2), FlattenParams{},
              DropoutParams{0.25f}, DenseParams{10}};
  return s;
}

// A model whose every parameter (running statistics included) is a distinct random float.
Model small_model(int filters = 4) {
  auto m = Model::build(small_spec(filters));
  REQUIRE(m.ok());
  m->initialize(3);
  Rng rng(17);
  for (const TensorInfo& t : m->tensors())
    for (long i = 0; i < t.size; ++i) m->params()[t.offset + i] = rng.uniform(-2.0f, 2.0f);
  return std::move(*m);
}

struct File {
  json header;
  std::vector<uint8_t> data;
};

// Splits a saved file into its header and its data section.
File split(const std::vector<uint8_t>& bytes) {
  REQUIRE(bytes.size() >= 8);
  uint64_t n = 0;
  for (int i = 7; i >= 0; --i) n = (n << 8) | bytes[i];
  REQUIRE(8 + n <= bytes.size());
  return {json::parse(bytes.begin() + 8, bytes.begin() + 8 + static_cast<long>(n)),
          std::vector<uint8_t>(bytes.begin() + 8 + static_cast<long>(n), bytes.end())};
}

std::vector<uint8_t> join(const std::string& header, const std::vector<uint8_t>& data) {
  std::vector<uint8_t> out;
  out.reserve(8 + header.size() + data.size());
  for (int i = 0; i < 8; ++i) out.push_back(static_cast<uint8_t>(uint64_t(header.size()) >> (8 * i)));
  out.insert(out.end(), header.begin(), header.end());
  out.insert(out.end(), data.begin(), data.end());
  return out;
}
std::vector<uint8_t> join(const File& f) { return join(f.header.dump(), f.data); }

File saved_file() { return split(save_safetensors(small_model())); }

std::string load_error(const std::vector<uint8_t>& bytes) {
  auto r = load_safetensors(bytes.data(), bytes.size(), "model.safetensors");
  REQUIRE_FALSE(r.ok());
  return r.error();
}

bool contains(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }

// ---- the round trip ----

TEST_CASE("safetensors: save then load gives the same parameters, bit for bit") {
  const Model model = small_model();
  const std::vector<uint8_t> bytes = save_safetensors(model);
  auto loaded = load_safetensors(bytes.data(), bytes.size(), "model.safetensors");
  REQUIRE_MESSAGE(loaded.ok(), loaded.error());
  REQUIRE(loaded->num_params() == model.num_params());
  CHECK(std::memcmp(loaded->params(), model.params(), sizeof(float) * model.num_params()) == 0);
  CHECK(to_json(loaded->spec()) == to_json(model.spec()));
  CHECK(loaded->tensors().size() == model.tensors().size());
}

TEST_CASE("safetensors: special float values survive the round trip") {
  Model model = small_model();
  const float specials[] = {0.0f, -0.0f, 1e-45f, -3.4e38f, 1.17549435e-38f};
  for (int i = 0; i < 5; ++i) model.params()[i] = specials[i];
  const std::vector<uint8_t> bytes = save_safetensors(model);
  auto loaded = load_safetensors(bytes.data(), bytes.size(), "m");
  REQUIRE(loaded.ok());
  CHECK(std::memcmp(loaded->params(), model.params(), sizeof(float) * model.num_params()) == 0);
}

// A diverged model's NaN or infinity would answer nonsense everywhere: loading names the tensor.
TEST_CASE("safetensors: a tensor holding NaN or infinity is refused by name") {
  for (float bad : {std::nanf(""), std::numeric_limits<float>::infinity(), -std::numeric_limits<float>::infinity()}) {
    Model model = small_model();
    const TensorInfo& bias = model.tensors()[1];
    model.params()[bias.offset + 2] = bad;
    const std::vector<uint8_t> bytes = save_safetensors(model);
    auto loaded = load_safetensors(bytes.data(), bytes.size(), "m.safetensors");
    REQUIRE_FALSE(loaded.ok());
    CHECK(loaded.error().find("tensor " + bias.name) != std::string::npos);
    CHECK(loaded.error().find("smaller learning rate") != std::string::npos);
  }
}

TEST_CASE("safetensors: saving is deterministic") {
  CHECK(save_safetensors(small_model()) == save_safetensors(small_model()));
}

TEST_CASE("safetensors: the header is what the format specifies") {
  const Model model = small_model();
  const std::vector<uint8_t> bytes = save_safetensors(model, {{"preset", "tiny"}});
  uint64_t n = 0;
  for (int i = 7; i >= 0; --i) n = (n << 8) | bytes[i];  // little-endian u64
  CHECK((8 + n) % 8 == 0);                                 // the data section starts aligned
  const File f = split(bytes);
  REQUIRE(f.header.is_object());

  const json& meta = f.header.at("__metadata__");
  REQUIRE(meta.is_object());
  for (const auto& item : meta.items()) CHECK_MESSAGE(item.value().is_string(), item.key());  // only strings allowed
  CHECK(meta.at("architecture").get<std::string>() == to_json(model.spec()));
  CHECK(meta.at("preset") == "tiny");

  // Every tensor is F32 with its shape; together they tile the data section with no gaps.
  std::set<std::pair<uint64_t, uint64_t>> ranges;
  for (const TensorInfo& t : model.tensors()) {
    const json& e = f.header.at(t.name);
    CHECK(e.at("dtype") == "F32");
    CHECK(e.at("shape").get<std::vector<int>>() == t.shape);
    const auto offs = e.at("data_offsets").get<std::vector<uint64_t>>();
    REQUIRE(offs.size() == 2);
    CHECK(offs[1] - offs[0] == 4 * uint64_t(t.size));
    ranges.insert({offs[0], offs[1]});
  }
  CHECK(f.header.size() == model.tensors().size() + 1);
  uint64_t at = 0;
  for (const auto& [b, e] : ranges) {
    CHECK(b == at);
    at = e;
  }
  CHECK(at == f.data.size());

  // A tensor's bytes are its floats, little-endian.
  const TensorInfo& bias = model.tensors()[1];
  REQUIRE(bias.name == "layers.0.bias");
  const uint64_t b = f.header.at(bias.name).at("data_offsets")[0];
  CHECK(std::memcmp(f.data.data() + b, model.params() + bias.offset, 4 * bias.size) == 0);
}

TEST_CASE("safetensors: the metadata can be read without building the model") {
  const std::vector<uint8_t> bytes = save_safetensors(small_model(), {{"preset", "tiny"}, {"test_accuracy", "0.5"}});
  auto meta = safetensors_metadata(bytes.data(), bytes.size(), "m");
  REQUIRE(meta.ok());
  CHECK(meta->at("preset") == "tiny");
  CHECK(meta->at("test_accuracy") == "0.5");
  CHECK(meta->at("format") == "digitrain");
  CHECK(meta->count("architecture") == 1);
}

// ---- rejections ----

TEST_CASE("safetensors: an empty or short file is too short") {
  const std::vector<uint8_t> empty;
  CHECK(contains(load_error(empty), "model.safetensors: too short (0 bytes)"));
  CHECK(contains(load_error({1, 0, 0, 0, 0, 0, 0}), "too short (7 bytes)"));
  CHECK(contains(load_error(empty), "not a digitrain .safetensors model"));
}

TEST_CASE("safetensors: a header length beyond the file is reported with both sizes") {
  std::vector<uint8_t> bytes = save_safetensors(small_model());
  const size_t size = bytes.size();
  bytes[0] = 0xff;
  bytes[1] = 0xff;
  bytes[2] = 0xff;
  const std::string e = load_error(bytes);
  CHECK(contains(e, "does not fit the file of " + std::to_string(size) + " bytes"));
  // The largest possible length must not wrap around.
  for (int i = 0; i < 8; ++i) bytes[i] = 0xff;
  CHECK(contains(load_error(bytes), "does not fit"));
}

TEST_CASE("safetensors: a header that is not a JSON object is rejected") {
  CHECK(contains(load_error(join("{\"a\": ", {})), "header is not a JSON object"));
  CHECK(contains(load_error(join("[1, 2, 3]", {})), "header is not a JSON object"));
  CHECK(contains(load_error(join("\x89PNG\r\n\x1a\n", {})), "header is not a JSON object"));
}

TEST_CASE("safetensors: a file without an architecture was not written by digitrain") {
  File f = saved_file();
  f.header.erase("__metadata__");
  CHECK(contains(load_error(join(f)), "no architecture in __metadata__"));
  f = saved_file();
  f.header["__metadata__"].erase("architecture");
  CHECK(contains(load_error(join(f)), "no architecture in __metadata__"));
  f = saved_file();
  f.header["__metadata__"]["architecture"] = 5;
  CHECK(contains(load_error(join(f)), "no architecture in __metadata__"));
}

TEST_CASE("safetensors: an unknown layer type in the architecture is named") {
  File f = saved_file();
  json arch = json::parse(f.header["__metadata__"]["architecture"].get<std::string>());
  arch["layers"][0]["type"] = "conv3d";
  f.header["__metadata__"]["architecture"] = arch.dump();
  const std::string e = load_error(join(f));
  CHECK(contains(e, "model.safetensors: "));
  CHECK(contains(e, "unknown layer type 'conv3d'"));
}

TEST_CASE("safetensors: an architecture that does not fit its input is reported") {
  File f = saved_file();
  json arch = json::parse(f.header["__metadata__"]["architecture"].get<std::string>());
  arch["layers"][0]["kernel"] = 9;  // larger than the 8x8 input
  f.header["__metadata__"]["architecture"] = arch.dump();
  const std::string e = load_error(join(f));
  CHECK_MESSAGE(contains(e, "architecture does not build"), e);
  CHECK(contains(e, "kernel 9 is larger"));
}

TEST_CASE("safetensors: an implausibly large architecture fails without allocating it") {
  File f = saved_file();
  const json arch = json::parse(f.header["__metadata__"]["architecture"].get<std::string>());

  json big = arch;
  big["layers"][6]["units"] = 1 << 20;  // 36 x 2^20 floats: far more than the file holds
  f.header["__metadata__"]["architecture"] = big.dump();
  std::string e = load_error(join(f));
  CHECK_MESSAGE(contains(e, "model.safetensors: its architecture needs more parameters than the file's"), e);
  CHECK(contains(e, "layer 6, dense 1048576"));

  big = arch;
  big["layers"][6]["units"] = 1 << 30;
  f.header["__metadata__"]["architecture"] = big.dump();
  e = load_error(join(f));
  CHECK_MESSAGE(contains(e, "'units' must be a whole number from 1 to 1048576"), e);

  big = arch;
  big["input"] = {1 << 20, 1 << 20, 1 << 20};
  f.header["__metadata__"]["architecture"] = big.dump();
  e = load_error(join(f));
  CHECK_MESSAGE(contains(e, "input 1048576x1048576x1048576 is implausibly large"), e);

  big = arch;  // parameters that fit, activations that would not: 2^20 filters on 8x8
  big["layers"][0]["filters"] = 1 << 20;
  big["layers"][0]["kernel"] = 1;
  f.header["__metadata__"]["architecture"] = big.dump();
  f.data.resize(64u << 20);
  e = load_error(join(f));
  CHECK_MESSAGE(contains(e, "layer 0 (conv2d 1048576 1x1 valid) of its architecture has implausibly large outputs"), e);
}

TEST_CASE("safetensors: a model without exactly 10 outputs is rejected") {
  for (int outputs : {3, 20}) {
    ModelSpec spec = small_spec();
    spec.layers.back().as<DenseParams>()->units = outputs;
    auto model = Model::build(spec);
    REQUIRE(model.ok());
    const std::string e = load_error(save_safetensors(*model));
    CHECK_MESSAGE(contains(e, "outputs " + std::to_string(outputs) + " values per image, not the 10 digit classes"), e);
  }
}

TEST_CASE("safetensors: a missing tensor is named") {
  File f = saved_file();
  f.header.erase("layers.1.running_var");
  CHECK(contains(load_error(join(f)), "tensor layers.1.running_var is missing"));
}

TEST_CASE("safetensors: tensors of another architecture give the shape found and the one needed") {
  // The architecture of a model with 2 filters, the tensors of one with 4 (more bytes than needed).
  File f = saved_file();
  f.header["__metadata__"]["architecture"] = to_json(small_spec(2));
  const std::string e = load_error(join(f));
  CHECK_MESSAGE(contains(e, "tensor layers.0.weight has shape [3,3,1,4]"), e);
  CHECK(contains(e, "[3,3,1,2]"));
}

TEST_CASE("safetensors: a dtype other than F32 is named") {
  File f = saved_file();
  f.header["layers.6.bias"]["dtype"] = "F16";
  const std::string e = load_error(join(f));
  CHECK(contains(e, "tensor layers.6.bias"));
  CHECK_MESSAGE(contains(e, "F16"), e);
}

TEST_CASE("safetensors: an incomplete tensor entry is rejected") {
  File f = saved_file();
  f.header["layers.0.bias"].erase("data_offsets");
  CHECK(contains(load_error(join(f)), "tensor layers.0.bias has an incomplete entry"));
  f = saved_file();
  f.header["layers.0.bias"] = "F32";
  CHECK(contains(load_error(join(f)), "tensor layers.0.bias has an incomplete entry"));
}

TEST_CASE("safetensors: data offsets outside the data or of the wrong length are rejected") {
  for (json offsets : {json{0, 1u << 20}, json{16, 8}, json{0, 4}, json{-4, 12}, json{0}, json{"0", "16"}}) {
    File f = saved_file();
    f.header["layers.0.bias"]["data_offsets"] = offsets;
    const std::string e = load_error(join(f));
    CHECK_MESSAGE(contains(e, "tensor layers.0.bias"), e);
    CHECK_MESSAGE((contains(e, "do not fit") || contains(e, "malformed data_offsets")), e);
  }
}

TEST_CASE("safetensors: truncated data is reported as truncated") {
  std::vector<uint8_t> bytes = save_safetensors(small_model());
  bytes.resize(bytes.size() - 4);
  const std::string e = load_error(bytes);
  CHECK_MESSAGE(contains(e, "truncated"), e);
}

TEST_CASE("safetensors: tensors must tile the data section, without overlaps, gaps or trailing bytes") {
  File f = saved_file();
  // Two biases of the same size: point the second at the first one's bytes.
  f.header["layers.1.beta"]["data_offsets"] = f.header["layers.1.gamma"]["data_offsets"];
  std::string e = load_error(join(f));
  CHECK_MESSAGE(contains(e, "leave a gap or overlap"), e);

  f = saved_file();
  f.data.insert(f.data.end(), {1, 2, 3, 4});
  e = load_error(join(f));
  CHECK_MESSAGE(contains(e, "leave a gap or overlap at byte " + std::to_string(f.data.size() - 4)), e);
}

TEST_CASE("safetensors: extra tensors are named") {
  File f = saved_file();
  f.header["layers.9.weight"] = f.header["layers.6.bias"];
  const std::string e = load_error(join(f));
  CHECK_MESSAGE(contains(e, "layers.9.weight"), e);
  CHECK(contains(e, "the architecture has no such tensor"));
}

TEST_CASE("safetensors: a checkpoint's training-state tensors are skipped by the model loader, and read apart") {
  const Model model = small_model();
  const std::vector<float> moments(static_cast<size_t>(model.tensors()[0].size), 0.25f);
  const std::vector<uint8_t> bytes = save_safetensors(
      model, {}, {{"optimizer.m." + model.tensors()[0].name, model.tensors()[0].shape, moments.data(), model.tensors()[0].size}});
  auto loaded = load_safetensors(bytes.data(), bytes.size(), "checkpoint");
  REQUIRE_MESSAGE(loaded.ok(), loaded.error());
  CHECK(std::memcmp(loaded->params(), model.params(), sizeof(float) * model.num_params()) == 0);
  auto state = load_training_state_tensors(bytes.data(), bytes.size(), "checkpoint");
  REQUIRE(state.ok());
  REQUIRE(state->size() == 1);
  CHECK(state->begin()->second == moments);

  // Only those two prefixes: any other unknown tensor is still an error.
  File f = split(bytes);
  f.header["momentum." + model.tensors()[0].name] = f.header["optimizer.m." + model.tensors()[0].name];
  f.header.erase("optimizer.m." + model.tensors()[0].name);
  std::string e = load_error(join(f));
  CHECK_MESSAGE(contains(e, "no such tensor as momentum."), e);
  // And their bytes must lie in the file like any tensor's.
  f = split(bytes);
  f.header["optimizer.m." + model.tensors()[0].name]["data_offsets"][1] = f.data.size() + 4;
  e = load_error(join(f));
  CHECK_MESSAGE(contains(e, "do not fit the data"), e);
}

// ---- fuzzing ----

TEST_CASE("safetensors: damaged files load or fail with a message, never crash") {
  const std::vector<uint8_t> valid = save_safetensors(small_model());
  uint64_t header_size = 0;
  for (int i = 7; i >= 0; --i) header_size = (header_size << 8) | valid[i];
  Rng rng(8086);
  int loaded = 0, rejected = 0;
  for (int trial = 0; trial < 3000; ++trial) {
    std::vector<uint8_t> b = valid;
    const int mutations = 1 + static_cast<int>(rng.below(3));
    for (int m = 0; m < mutations; ++m) {
      switch (rng.below(6)) {
        case 0:  // a bit flip in the header, where most of the checks are
          b[8 + rng.below(static_cast<uint32_t>(header_size))] ^= static_cast<uint8_t>(1u << rng.below(8));
          break;
        case 1:  // a random byte in the header
          b[8 + rng.below(static_cast<uint32_t>(header_size))] = static_cast<uint8_t>(rng.below(256));
          break;
        case 2:  // anywhere, including the length and the data
          b[rng.below(static_cast<uint32_t>(b.size()))] = static_cast<uint8_t>(rng.below(256));
          break;
        case 3:  // truncation
          b.resize(rng.below(static_cast<uint32_t>(b.size()) + 1));
          break;
        case 4:  // extra bytes at the end
          for (uint32_t k = rng.below(64); k > 0; --k) b.push_back(static_cast<uint8_t>(rng.below(256)));
          break;
        default:  // a different header length
          if (b.size() >= 8) b[rng.below(3)] = static_cast<uint8_t>(rng.below(256));
          break;
      }
      if (b.size() < 8) break;
    }
    auto r = load_safetensors(b.data(), b.size(), "fuzz");
    if (r.ok()) {
      REQUIRE(r->num_params() > 0);
      ++loaded;
    } else {
      REQUIRE_FALSE(r.error().empty());
      ++rejected;
    }
    auto meta = safetensors_metadata(b.data(), b.size(), "fuzz");
    if (!meta.ok()) REQUIRE_FALSE(meta.error().empty());
  }
  CHECK(loaded > 10);  // flips inside tensor data or JSON whitespace still load
  CHECK(rejected > 1000);
}

}  // namespace
}  // namespace dt
