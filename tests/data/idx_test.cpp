// parse_idx: a tiny fixture built in code, one test per way a file can be broken, and a
// seeded fuzz run over random mutations of the fixture.
#include <doctest/doctest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "data/idx.h"
#include "util/rng.h"

namespace dt {
namespace {

std::vector<uint8_t> idx_header(uint8_t type, const std::vector<uint32_t>& dims) {
  std::vector<uint8_t> b{0, 0, type, static_cast<uint8_t>(dims.size())};
  for (uint32_t d : dims)
    for (int shift = 24; shift >= 0; shift -= 8) b.push_back(static_cast<uint8_t>(d >> shift));
  return b;
}

// 3 images of 4 rows x 5 columns; pixel (i, r, c) = 20 i + 5 r + c.
std::vector<uint8_t> image_fixture() {
  std::vector<uint8_t> b = idx_header(0x08, {3, 4, 5});
  for (int i = 0; i < 3 * 4 * 5; ++i) b.push_back(static_cast<uint8_t>(i));
  return b;
}

std::vector<uint8_t> label_fixture() {
  std::vector<uint8_t> b = idx_header(0x08, {3});
  for (uint8_t l : {7, 0, 9}) b.push_back(l);
  return b;
}

std::string parse_error(const std::vector<uint8_t>& bytes) {
  auto r = parse_idx(bytes.data(), bytes.size(), "fixture.idx");
  REQUIRE_FALSE(r.ok());
  return r.error();
}

bool contains(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }

TEST_CASE("idx: a valid images file gives its dims and bytes in order") {
  const auto bytes = image_fixture();
  auto r = parse_idx(bytes.data(), bytes.size(), "fixture.idx");
  REQUIRE(r.ok());
  CHECK(r->dims == std::vector<int>{3, 4, 5});
  REQUIRE(r->data.size() == 60);
  CHECK(r->data[0] == 0);
  CHECK(r->data[2 * 20 + 3 * 5 + 4] == 59);  // last pixel of the last image
}

TEST_CASE("idx: a valid labels file is one-dimensional") {
  const auto bytes = label_fixture();
  auto r = parse_idx(bytes.data(), bytes.size(), "fixture.idx");
  REQUIRE(r.ok());
  CHECK(r->dims == std::vector<int>{3});
  CHECK(r->data == std::vector<uint8_t>{7, 0, 9});
}

// The library says what is wrong; how to fix it (a flag, a rebuild) is each front end's to add.
TEST_CASE("idx: messages name the input and say what is wrong, in no front end's words") {
  const std::string e = parse_error({});
  CHECK(contains(e, "fixture.idx"));
  CHECK(contains(e, "damaged or not an MNIST-style idx file"));
  CHECK_FALSE(contains(e, "--data"));
}

TEST_CASE("idx: fewer than four bytes is too short") {
  const auto full = image_fixture();
  for (size_t n : {0, 1, 3}) {
    const std::string e = parse_error(std::vector<uint8_t>(full.begin(), full.begin() + n));
    CHECK_MESSAGE(contains(e, "too short"), e);
    CHECK(contains(e, "(" + std::to_string(n) + " bytes)"));
  }
}

TEST_CASE("idx: gzip bytes are a bad magic number with a hint") {
  auto bytes = image_fixture();
  bytes[0] = 0x1f;
  bytes[1] = 0x8b;
  const std::string e = parse_error(bytes);
  CHECK(contains(e, "bad magic"));
  CHECK(contains(e, "gzip"));
}

TEST_CASE("idx: a data type other than unsigned bytes is rejected and named in hex") {
  auto bytes = image_fixture();
  bytes[2] = 0x0D;  // float32 in the IDX spec
  const std::string e = parse_error(bytes);
  CHECK(contains(e, "not unsigned bytes"));
  CHECK_MESSAGE(contains(e, "0x0d"), e);
}

TEST_CASE("idx: zero or more than four dimensions are rejected") {
  for (uint8_t ndim : {0, 5, 255}) {
    auto bytes = image_fixture();
    bytes[3] = ndim;
    const std::string e = parse_error(bytes);
    CHECK(contains(e, std::to_string(ndim) + " dimensions"));
    CHECK(contains(e, "1 to 4 expected"));
  }
}

TEST_CASE("idx: a header cut inside its sizes is truncated") {
  const auto full = image_fixture();
  for (size_t n : {4, 8, 15}) {  // the header of a 3-d file is 16 bytes
    const std::string e = parse_error(std::vector<uint8_t>(full.begin(), full.begin() + n));
    CHECK_MESSAGE(contains(e, "truncated IDX header"), e);
  }
}

TEST_CASE("idx: data shorter than the header promises is truncated") {
  auto bytes = image_fixture();
  bytes.pop_back();
  const std::string e = parse_error(bytes);
  CHECK(contains(e, "promises 60 bytes"));
  CHECK(contains(e, "has 59"));
  CHECK(contains(e, "(truncated)"));
}

TEST_CASE("idx: data longer than the header promises has trailing bytes") {
  auto bytes = image_fixture();
  bytes.push_back(0);
  const std::string e = parse_error(bytes);
  CHECK(contains(e, "has 61"));
  CHECK(contains(e, "(trailing bytes)"));
}

TEST_CASE("idx: a header with no data at all is truncated, not empty") {
  const std::string e = parse_error(idx_header(0x08, {3, 4, 5}));
  CHECK(contains(e, "has 0"));
  CHECK(contains(e, "(truncated)"));
}

TEST_CASE("idx: a zero dimension is rejected and named") {
  for (int d = 0; d < 3; ++d) {
    std::vector<uint32_t> dims{3, 4, 5};
    dims[d] = 0;
    const std::string e = parse_error(idx_header(0x08, dims));
    CHECK_MESSAGE(contains(e, "dimension " + std::to_string(d) + " has size 0"), e);
  }
}

TEST_CASE("idx: huge sizes are rejected without allocating them") {
  const std::string e = parse_error(idx_header(0x08, {0xFFFFFFFFu, 28, 28}));
  CHECK(contains(e, "dimension 0"));
  const std::string e2 = parse_error(idx_header(0x08, {1u << 30, 1u << 30, 28}));
  CHECK(contains(e2, "implausibly large"));
}

// Thousands of seeded mutations: parsing never crashes or hangs, and either succeeds with
// dims whose product is the data size or fails with a message.
TEST_CASE("idx: fuzzed inputs either parse consistently or fail with a message") {
  const std::vector<std::vector<uint8_t>> seeds{image_fixture(), label_fixture()};
  Rng rng(20240611);
  int parsed = 0, rejected = 0;
  for (int trial = 0; trial < 20000; ++trial) {
    std::vector<uint8_t> b = seeds[trial % 2];
    const int mutations = 1 + static_cast<int>(rng.below(4));
    for (int m = 0; m < mutations; ++m) {
      switch (rng.below(6)) {
        case 0:  // flip one bit anywhere
          if (!b.empty()) b[rng.below(static_cast<uint32_t>(b.size()))] ^= static_cast<uint8_t>(1u << rng.below(8));
          break;
        case 1:  // overwrite a header byte (where the interesting checks live)
          if (!b.empty()) b[rng.below(std::min<uint32_t>(static_cast<uint32_t>(b.size()), 20))] = static_cast<uint8_t>(rng.below(256));
          break;
        case 2:  // truncate
          b.resize(rng.below(static_cast<uint32_t>(b.size()) + 1));
          break;
        case 3:  // extend with random bytes
          for (uint32_t k = rng.below(40); k > 0; --k) b.push_back(static_cast<uint8_t>(rng.below(256)));
          break;
        case 4: {  // a random but well-formed header in front of the old data
          std::vector<uint32_t> dims(1 + rng.below(4));
          for (auto& d : dims) d = rng.below(8);
          std::vector<uint8_t> h = idx_header(0x08, dims);
          const size_t old_header = b.size() >= 4 ? 4 + 4 * size_t(b[3] % 5) : b.size();
          if (old_header <= b.size()) h.insert(h.end(), b.begin() + old_header, b.end());
          b = h;
          break;
        }
        default:  // set a size field to a random 32-bit value
          if (b.size() >= 8) {
            const size_t at = 4 + 4 * rng.below(static_cast<uint32_t>((b.size() - 4) / 4 < 4 ? (b.size() - 4) / 4 : 4));
            for (int k = 0; k < 4; ++k) b[at + k] = static_cast<uint8_t>(rng.below(256));
          }
          break;
      }
    }
    auto r = parse_idx(b.data(), b.size(), "fuzz");
    if (r.ok()) {
      size_t product = 1;
      for (int d : r->dims) {
        REQUIRE(d > 0);
        product *= static_cast<size_t>(d);
      }
      REQUIRE(product == r->data.size());
      REQUIRE(b.size() == 4 + 4 * r->dims.size() + r->data.size());
      ++parsed;
    } else {
      REQUIRE_FALSE(r.error().empty());
      ++rejected;
    }
  }
  // The run must exercise both outcomes, or it tests nothing.
  CHECK(parsed > 100);
  CHECK(rejected > 100);
}

}  // namespace
}  // namespace dt
