// model_spec_from_json: the architecture text a saved model carries. It comes from a file, so
// every malformed or mistyped input must be an error with a message, never a crash.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "nn/spec.h"
#include "recipe/presets.h"
#include "util/rng.h"

namespace dt {
namespace {

bool contains(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }

std::string spec_error(const std::string& text) {
  auto r = model_spec_from_json(text);
  REQUIRE_FALSE_MESSAGE(r.ok(), text);
  CHECK_FALSE(r.error().empty());
  return r.error();
}

TEST_CASE("architecture json: every preset round-trips") {
  REQUIRE_FALSE(presets().empty());
  for (const Preset& p : presets()) {
    const std::string text = to_json(p.model);
    auto back = model_spec_from_json(text);
    REQUIRE_MESSAGE(back.ok(), p.name << ": " << back.error());
    CHECK_MESSAGE(to_json(*back) == text, p.name);
    CHECK(describe(*back) == describe(p.model));
  }
}

TEST_CASE("architecture json: every field of every layer kind round-trips") {
  ModelSpec s;
  s.height = 12;
  s.width = 10;
  s.channels = 3;
  s.init = Init::he_normal;
  LayerSpec conv;
  conv.kind = LayerKind::conv2d;
  conv.units = 5;
  conv.kernel = 3;
  conv.stride = 2;
  conv.same = true;
  LayerSpec pool;
  pool.kind = LayerKind::avgpool;
  pool.kernel = 3;
  pool.stride = 1;
  LayerSpec bn;
  bn.kind = LayerKind::batchnorm;
  bn.eps = 1e-5f;
  bn.momentum = 0.9f;
  LayerSpec leaky;
  leaky.kind = LayerKind::leaky_relu;
  leaky.alpha = 0.2f;
  LayerSpec drop;
  drop.kind = LayerKind::dropout;
  drop.rate = 0.3f;
  LayerSpec dense;
  dense.kind = LayerKind::dense;
  dense.units = 7;
  s.layers = {conv, bn, leaky, pool, drop, {LayerKind::flatten}, dense, {LayerKind::tanh}, {LayerKind::sigmoid},
              {LayerKind::softmax}};
  auto back = model_spec_from_json(to_json(s));
  REQUIRE(back.ok());
  CHECK(back->height == 12);
  CHECK(back->width == 10);
  CHECK(back->channels == 3);
  CHECK(back->init == Init::he_normal);
  REQUIRE(back->layers.size() == s.layers.size());
  CHECK(back->layers[0].stride == 2);
  CHECK(back->layers[0].same);
  CHECK(back->layers[1].eps == 1e-5f);
  CHECK(back->layers[1].momentum == 0.9f);
  CHECK(back->layers[2].alpha == 0.2f);
  CHECK(back->layers[3].stride == 1);
  CHECK(back->layers[4].rate == 0.3f);
  CHECK(to_json(*back) == to_json(s));
}

TEST_CASE("architecture json: optional fields take their defaults") {
  auto r = model_spec_from_json(
      R"({"input":[28,28,1],"layers":[{"type":"conv2d","filters":2,"kernel":3},{"type":"maxpool","size":2},)"
      R"({"type":"batchnorm"},{"type":"leaky_relu"}]})");
  REQUIRE(r.ok());
  CHECK(r->init == Init::glorot_uniform);
  CHECK(r->layers[0].stride == 1);
  CHECK_FALSE(r->layers[0].same);
  CHECK(r->layers[1].stride == 2);  // a pool's stride defaults to its window
  CHECK(r->layers[2].eps == 1e-3f);
  CHECK(r->layers[3].alpha == 0.01f);
}

TEST_CASE("architecture json: text that is not a JSON object") {
  for (const char* text : {"", "not json", "[1,2]", "42", "\"text\"", "{\"input\": [28, 28, 1]", "null"})
    CHECK(contains(spec_error(text), "not valid JSON"));
}

TEST_CASE("architecture json: missing or misshapen input") {
  CHECK(contains(spec_error(R"({"layers":[]})"), "missing a field"));
  CHECK(contains(spec_error(R"({"input":[28,28],"layers":[]})"), "[height, width, channels]"));
  CHECK(contains(spec_error(R"({"input":"28x28","layers":[]})"), "[height, width, channels]"));
  CHECK(contains(spec_error(R"({"input":["28",28,1],"layers":[]})"), "whole number"));
}

TEST_CASE("architecture json: wrong types in layers are errors") {
  const std::vector<std::string> bad{
      R"({"input":[28,28,1]})",                                                  // no layers
      R"({"input":[28,28,1],"layers":5})",                                       // layers not a list
      R"({"input":[28,28,1],"layers":[5]})",                                     // a layer not an object
      R"({"input":[28,28,1],"layers":[{"units":10}]})",                          // no type
      R"({"input":[28,28,1],"layers":[{"type":7}]})",                            // type not a string
      R"({"input":[28,28,1],"layers":[{"type":"dense"}]})",                      // dense without units
      R"({"input":[28,28,1],"layers":[{"type":"dense","units":"ten"}]})",        // units a string
      R"({"input":[28,28,1],"layers":[{"type":"conv2d","filters":4}]})",         // no kernel
      R"({"input":[28,28,1],"layers":[{"type":"conv2d","filters":4,"kernel":3,"stride":"1"}]})",
      R"({"input":[28,28,1],"layers":[{"type":"dropout","rate":null}]})",
      R"({"input":[28,28,1],"layers":[{"type":"maxpool"}]})",
      R"({"input":[28,28,1],"init":3,"layers":[]})",
      R"({"input":[28,28,1],"layers":[{"type":"batchnorm","eps":"small"}]})",
  };
  for (const std::string& text : bad) CHECK_FALSE(spec_error(text).empty());
}

TEST_CASE("architecture json: unknown names are quoted back") {
  CHECK(contains(spec_error(R"({"input":[28,28,1],"layers":[{"type":"lstm"}]})"), "unknown layer type 'lstm'"));
  CHECK(contains(spec_error(R"({"input":[28,28,1],"init":"zeros","layers":[]})"), "unknown initialiser 'zeros'"));
  CHECK(contains(spec_error(R"({"input":[28,28,1],"layers":[{"type":"conv2d","filters":4,"kernel":3,"padding":"full"}]})"),
                 "padding must be 'same' or 'valid', not 'full'"));
}

TEST_CASE("architecture json: numbers that are not whole or do not fit an int are errors") {
  for (const char* number : {"3.5", "-1e300", "1e300", "4294967296", "-2147483649", "true"}) {
    const std::string text =
        std::string(R"({"input":[28,28,1],"layers":[{"type":"dense","units":)") + number + "}]}";
    const std::string e = spec_error(text);
    CHECK_MESSAGE(contains(e, "units"), e);
  }
  CHECK(contains(spec_error(R"({"input":[28.5,28,1],"layers":[]})"), "input"));
}

// Random edits of real architectures: parsing never crashes, and whatever it accepts has sizes
// in the documented range (so building it cannot overflow the shape arithmetic).
TEST_CASE("architecture json: fuzzed architectures parse within range or fail with a message") {
  const char alphabet[] = "0123456789-.e+\"{}[]:, abcdefghijklmnopqrstuvwxyz";
  Rng rng(4242);
  int parsed = 0, rejected = 0;
  for (int trial = 0; trial < 4000; ++trial) {
    std::string text = to_json(presets()[trial % presets().size()].model);
    for (int m = 1 + static_cast<int>(rng.below(3)); m > 0 && !text.empty(); --m) {
      const size_t at = rng.below(static_cast<uint32_t>(text.size()));
      const char c = alphabet[rng.below(sizeof alphabet - 1)];
      switch (rng.below(3)) {
        case 0: text[at] = c; break;
        case 1: text.insert(text.begin() + static_cast<long>(at), c); break;
        default: text.erase(at, 1 + rng.below(4)); break;
      }
    }
    auto r = model_spec_from_json(text);
    if (!r.ok()) {
      REQUIRE_FALSE(r.error().empty());
      ++rejected;
      continue;
    }
    ++parsed;
    for (int v : {r->height, r->width, r->channels}) REQUIRE((v >= 1 && v <= (1 << 20)));
    for (const LayerSpec& l : r->layers) {
      if (l.kind == LayerKind::conv2d || l.kind == LayerKind::dense) REQUIRE((l.units >= 1 && l.units <= (1 << 20)));
      if (l.kind == LayerKind::conv2d || l.kind == LayerKind::maxpool || l.kind == LayerKind::avgpool) {
        REQUIRE((l.kernel >= 1 && l.kernel <= (1 << 20)));
        REQUIRE((l.stride >= 1 && l.stride <= (1 << 20)));
      }
    }
  }
  CHECK(parsed > 100);  // edits inside names or numbers often still parse
  CHECK(rejected > 1000);
}

}  // namespace
}  // namespace dt
