// Datasets: pairing an images file with a labels file, the validation split and take_first.
#include <doctest/doctest.h>

#include <algorithm>
#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include "data/dataset.h"

namespace dt {
namespace {

IdxArray idx_array(std::vector<int> dims, uint8_t fill = 0) {
  size_t n = 1;
  for (int d : dims) n *= static_cast<size_t>(d);
  return IdxArray{std::move(dims), std::vector<uint8_t>(n, fill)};
}

// `count` 2x2 images whose first two pixels spell the sample's index (so any image can be
// traced back to where it came from), labelled index % 10.
Dataset numbered(int count) {
  IdxArray images = idx_array({count, 2, 2});
  IdxArray labels = idx_array({count});
  for (int i = 0; i < count; ++i) {
    images.data[4 * i] = static_cast<uint8_t>(i & 255);
    images.data[4 * i + 1] = static_cast<uint8_t>(i >> 8);
    labels.data[i] = static_cast<uint8_t>(i % 10);
  }
  auto d = make_dataset(std::move(images), std::move(labels), "numbered");
  REQUIRE(d.ok());
  return std::move(*d);
}

int index_of(const Dataset& d, int i) { return d.image(i)[0] | (d.image(i)[1] << 8); }

std::vector<int> indices(const Dataset& d) {
  std::vector<int> out;
  for (int i = 0; i < d.count; ++i) {
    out.push_back(index_of(d, i));
    CHECK(d.labels[i] == out.back() % 10);  // labels travel with their images
  }
  return out;
}

bool contains(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }

TEST_CASE("dataset: matching images and labels make a dataset") {
  const Dataset d = numbered(12);
  CHECK(d.count == 12);
  CHECK(d.height == 2);
  CHECK(d.width == 2);
  CHECK(d.pixels() == 4);
  CHECK(d.images.size() == 48);
  CHECK(index_of(d, 11) == 11);
  CHECK(d.labels[11] == 1);
}

TEST_CASE("dataset: swapped files are reported as probably swapped") {
  auto r = make_dataset(idx_array({5}), idx_array({5, 2, 2}), "set");
  REQUIRE_FALSE(r.ok());
  CHECK(contains(r.error(), "set: the images file has 1 dimensions, expected 3"));
  CHECK(contains(r.error(), "swapped"));
}

TEST_CASE("dataset: a labels file that is not 1-d is rejected") {
  auto r = make_dataset(idx_array({5, 2, 2}), idx_array({5, 1}), "set");
  REQUIRE_FALSE(r.ok());
  CHECK(contains(r.error(), "labels file has 2 dimensions, expected 1"));
}

TEST_CASE("dataset: different image and label counts do not belong together") {
  auto r = make_dataset(idx_array({5, 2, 2}), idx_array({4}), "set");
  REQUIRE_FALSE(r.ok());
  CHECK(contains(r.error(), "5 images but 4 labels"));
}

TEST_CASE("dataset: a label above 9 names its value and index") {
  IdxArray labels = idx_array({5}, 3);
  labels.data[3] = 10;
  labels.data[4] = 200;
  auto r = make_dataset(idx_array({5, 2, 2}), std::move(labels), "set");
  REQUIRE_FALSE(r.ok());
  CHECK_MESSAGE(contains(r.error(), "label 10 at index 3"), r.error());  // the first bad one
  CHECK(contains(r.error(), "corrupt"));
}

TEST_CASE("dataset: parse_dataset reads both files and says which one is broken") {
  std::vector<uint8_t> images{0, 0, 8, 3, 0, 0, 0, 2, 0, 0, 0, 1, 0, 0, 0, 1, 10, 20};
  std::vector<uint8_t> labels{0, 0, 8, 1, 0, 0, 0, 2, 4, 9};
  auto ok = parse_dataset(images.data(), images.size(), labels.data(), labels.size(), "tiny");
  REQUIRE(ok.ok());
  CHECK(ok->count == 2);
  CHECK(ok->labels == std::vector<uint8_t>{4, 9});
  CHECK(ok->image(1)[0] == 20);

  labels.pop_back();
  auto bad = parse_dataset(images.data(), images.size(), labels.data(), labels.size(), "tiny");
  REQUIRE_FALSE(bad.ok());
  CHECK_MESSAGE(contains(bad.error(), "tiny labels: "), bad.error());
  CHECK(contains(bad.error(), "truncated"));

  auto bad_images = parse_dataset(images.data(), 5, labels.data(), labels.size(), "tiny");
  REQUIRE_FALSE(bad_images.ok());
  CHECK(contains(bad_images.error(), "tiny images: "));
}

TEST_CASE("split_validation: sizes follow the fraction, rounded") {
  const Dataset all = numbered(101);
  for (auto [fraction, n_val] : std::vector<std::pair<float, int>>{{0.0f, 0}, {0.1f, 10}, {0.5f, 51}, {1.0f, 101}}) {
    const Split s = split_validation(all, fraction, 7);
    CHECK(s.val.count == n_val);
    CHECK(s.train.count == 101 - n_val);
    CHECK(s.train.images.size() == size_t(s.train.count) * 4);
    CHECK(s.val.labels.size() == size_t(s.val.count));
  }
}

TEST_CASE("split_validation: parts are disjoint, cover everything and keep their order") {
  const Dataset all = numbered(500);
  const Split s = split_validation(all, 0.2f, 42);
  const std::vector<int> train = indices(s.train), val = indices(s.val);
  CHECK(std::is_sorted(train.begin(), train.end()));
  CHECK(std::is_sorted(val.begin(), val.end()));
  std::set<int> seen(train.begin(), train.end());
  for (int i : val) CHECK_MESSAGE(seen.insert(i).second, "sample " << i << " is in both parts");
  CHECK(seen.size() == 500);
  CHECK(*seen.begin() == 0);
  CHECK(*seen.rbegin() == 499);
}

TEST_CASE("split_validation: the same seed gives the same split, another seed another") {
  const Dataset all = numbered(500);
  const std::vector<int> a = indices(split_validation(all, 0.2f, 42).val);
  CHECK(indices(split_validation(all, 0.2f, 42).val) == a);
  const std::vector<int> b = indices(split_validation(all, 0.2f, 43).val);
  CHECK(b.size() == a.size());
  CHECK(b != a);
  // A random split, not the first or last fifth.
  CHECK(a.front() < 100);
  CHECK(a.back() >= 400);
}

TEST_CASE("split_validation: an empty dataset splits into two empty parts") {
  Dataset empty;
  empty.height = empty.width = 28;
  const Split s = split_validation(empty, 0.1f, 1);
  CHECK(s.train.count == 0);
  CHECK(s.val.count == 0);
}

TEST_CASE("take_first: the first n samples, or all of them") {
  const Dataset all = numbered(20);
  CHECK(indices(take_first(all, 3)) == std::vector<int>{0, 1, 2});
  CHECK(take_first(all, 3).height == 2);
  CHECK(take_first(all, 0).count == 20);
  CHECK(take_first(all, -5).count == 20);
  CHECK(take_first(all, 20).count == 20);
  CHECK(take_first(all, 1000).count == 20);
}

}  // namespace
}  // namespace dt
