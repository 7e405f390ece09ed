// int8 model files: a round trip that answers bit for bit the same, and every malformed,
// truncated or foreign file refused with a message (never a crash).
#include <doctest/doctest.h>

#include <cstring>
#include <string>

#include "io/safetensors.h"
#include "nn/layers/standardize_layer.h"
#include "quant/predict_int8.h"
#include "quant/quant_fixture.h"
#include "quant/quantize.h"
#include "quant/quantized_file.h"

namespace dt {
namespace {

QuantizeResult fast_int8(uint64_t seed) {
  const Model m = test::fast_like_model(seed);
  const auto calib = test::stroke_images(30, seed + 1);
  auto r = quantize_model(m, calib.data(), 30);
  REQUIRE_MESSAGE(r.ok(), r.error());
  return std::move(*r);
}

std::vector<float> probs(const QuantizedModel& q, const std::vector<float>& px, int n) {
  std::vector<float> p(static_cast<size_t>(n) * 10);
  QuantWorkspace ws(q, 16);
  predict_probs_int8(p.data(), q, ws, px.data(), n);
  return p;
}

TEST_CASE("save then load answers bit for bit the same") {
  const QuantizeResult r = fast_int8(21);
  CHECK(is_quantized_file(r.bytes.data(), r.bytes.size()));
  auto loaded = load_quantized(r.bytes.data(), r.bytes.size(), "m8.safetensors");
  REQUIRE_MESSAGE(loaded.ok(), loaded.error());
  const auto px = test::stroke_images(20, 3);
  CHECK(probs(r.model, px, 20) == probs(*loaded, px, 20));
  CHECK(save_quantized(*loaded) == r.bytes);
  // About a quarter of the float file: one byte per weight instead of four.
  const Model m = test::fast_like_model(21);
  const size_t float_size = save_safetensors(m).size();
  MESSAGE("fast: float file " << float_size << " bytes, int8 file " << r.bytes.size() << " bytes");
  CHECK(r.bytes.size() * 3 < float_size);
}

TEST_CASE("a layer that runs in float keeps its parameters in the file") {
  ModelSpec spec = find_preset("fast")->model;
  spec.layers.insert(spec.layers.begin(), StandardizeParams{0.1307f, 0.3081f});
  Model m = *Model::build(spec);
  m.initialize(2);
  const auto calib = test::stroke_images(20, 4);
  auto r = quantize_model(m, calib.data(), 20);
  REQUIRE_MESSAGE(r.ok(), r.error());
  CHECK_FALSE(r->model.qlayers[0].input_unsigned);  // standardised pixels go negative
  auto loaded = load_quantized(r->bytes.data(), r->bytes.size(), "s8");
  REQUIRE_MESSAGE(loaded.ok(), loaded.error());
  const auto px = test::stroke_images(8, 5);
  CHECK(probs(r->model, px, 8) == probs(*loaded, px, 8));
}

TEST_CASE("the float and int8 loaders refuse each other's files by name") {
  const QuantizeResult r = fast_int8(5);
  auto as_float = load_safetensors(r.bytes.data(), r.bytes.size(), "m8.safetensors");
  REQUIRE_FALSE(as_float.ok());
  CHECK(as_float.error().find("m8.safetensors is an int8 model") != std::string::npos);
  const Model m = test::fast_like_model(5);
  const auto fbytes = save_safetensors(m);
  CHECK_FALSE(is_quantized_file(fbytes.data(), fbytes.size()));
  auto as_int8 = load_quantized(fbytes.data(), fbytes.size(), "m.safetensors");
  REQUIRE_FALSE(as_int8.ok());
  CHECK(as_int8.error().find("not an int8 model") != std::string::npos);
  CHECK(as_int8.error().find("digitrain quantize") != std::string::npos);
}

// The header's JSON, edited, in a file with the same data.
std::vector<uint8_t> with_header(const std::vector<uint8_t>& file, const std::string& from, const std::string& to) {
  uint64_t n = 0;
  for (int i = 7; i >= 0; --i) n = (n << 8) | file[i];
  std::string h(file.begin() + 8, file.begin() + 8 + static_cast<long>(n));
  const size_t at = h.find(from);
  REQUIRE_MESSAGE(at != std::string::npos, from);
  h.replace(at, from.size(), to);
  std::vector<uint8_t> out;
  out.reserve(8 + h.size() + file.size());
  for (int i = 0; i < 8; ++i) out.push_back(static_cast<uint8_t>(uint64_t(h.size()) >> (8 * i)));
  out.insert(out.end(), h.begin(), h.end());
  out.insert(out.end(), file.begin() + 8 + static_cast<long>(n), file.end());
  return out;
}

// s as it reads inside a JSON string of the header (the architecture, "quantized_layers").
std::string esc(const std::string& s) {
  std::string out;
  for (char c : s) out += c == '"' ? std::string("\\\"") : std::string(1, c);
  return out;
}

void expect_refused(const std::vector<uint8_t>& bytes, const std::string& part) {
  auto r = load_quantized(bytes.data(), bytes.size(), "bad.safetensors");
  REQUIRE_FALSE(r.ok());
  INFO(r.error());
  CHECK(r.error().find(part) != std::string::npos);
  CHECK(r.error().rfind("bad.safetensors", 0) == 0);
}

TEST_CASE("malformed int8 files are refused with a reason") {
  const std::vector<uint8_t> good = fast_int8(7).bytes;
  expect_refused({}, "too short");
  expect_refused(std::vector<uint8_t>(good.begin(), good.begin() + 100), "does not fit the file");
  expect_refused(std::vector<uint8_t>(good.begin(), good.end() - 1), "truncated or corrupt");
  expect_refused(with_header(good, "\"quantization\":\"int8\"", "\"quantization\":\"int4\""), "int4");
  expect_refused(with_header(good, "\"I8\"", "\"F32\""), "dtype");
  expect_refused(with_header(good, esc("\"input\":\"uint8\""), esc("\"input\":\"fp8\"")), "malformed");
  expect_refused(with_header(good, esc("\"batchnorm\":1"), esc("\"batchnorm\":3")), "not the one right after it");
  expect_refused(with_header(good, esc("\"layer\":0"), esc("\"layer\":99")), "does not have");
  expect_refused(with_header(good, esc("\"layer\":0"), esc("\"layer\":2")), "layer");
  expect_refused(with_header(good, "weight_scale", "weight_scalf"), "missing");
  expect_refused(with_header(good, esc("\"units\":128"), esc("\"units\":1000000")), "does not fit the file");
  // Values: a NaN scale, an int8 weight of -128.
  {
    std::vector<uint8_t> bad = good;
    uint64_t n = 0;
    for (int i = 7; i >= 0; --i) n = (n << 8) | bad[i];
    const float nan = std::nanf("");
    std::memcpy(bad.data() + 8 + n, &nan, 4);  // the first F32 tensor's first value
    expect_refused(bad, "not a");
    bad = good;
    bad.back() = 0x80;  // the last I8 tensor's last weight
    expect_refused(bad, "-128");
  }
}

TEST_CASE("every truncation and many corruptions of a valid file are refused without a crash") {
  const std::vector<uint8_t> good = fast_int8(9).bytes;
  for (size_t len = 0; len < good.size(); len += (len < 4096 ? 1 : 97)) {
    auto r = load_quantized(good.data(), len, "cut");
    CHECK_FALSE(r.ok());
    CHECK(!r.error().empty());
  }
  Rng rng(17);
  int accepted = 0;
  for (int t = 0; t < 2000; ++t) {
    std::vector<uint8_t> bad = good;
    const size_t at = rng.below(static_cast<uint32_t>(std::min<size_t>(bad.size(), 4096)));
    bad[at] = static_cast<uint8_t>(rng.below(256));
    auto r = load_quantized(bad.data(), bad.size(), "flip");
    if (r.ok()) {  // a change the format cannot see (a space, a value): the model still runs
      ++accepted;
      const auto px = test::stroke_images(2, 1);
      std::vector<float> p(20);
      QuantWorkspace ws(*r, 2);
      predict_probs_int8(p.data(), *r, ws, px.data(), 2);
    }
  }
  MESSAGE(accepted << " of 2000 single-byte corruptions still load");
}

TEST_CASE("calibration indices are distinct, sorted and reproducible") {
  const auto a = calibration_indices(500, 54000, 1), b = calibration_indices(500, 54000, 1);
  CHECK(a == b);
  REQUIRE(a.size() == 500);
  for (size_t i = 1; i < a.size(); ++i) CHECK(a[i - 1] < a[i]);
  CHECK(a.back() < 54000);
  CHECK(calibration_indices(500, 7, 1).size() == 7);
  CHECK(calibration_indices(500, 54000, 2) != a);
}

}  // namespace
}  // namespace dt
