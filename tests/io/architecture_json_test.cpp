// model_spec_from_json: the architecture text a saved model carries. It comes from a file, so
// every malformed or mistyped input must be an error with a message, never a crash.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "nn/layers/activation_layers.h"
#include "nn/layers/batchnorm_layer.h"
#include "nn/layers/conv2d_layer.h"
#include "nn/layers/dense_layer.h"
#include "nn/layers/dropout_layer.h"
#include "nn/layers/flatten_layer.h"
#include "nn/layers/pool_layers.h"
#include "nn/layers/standardize_layer.h"
#include "nn/spec.h"
#include "recipe/presets.h"
#include "util/rng.h"

namespace dt {
namespace {

bool contains(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }

// Every whole-number field of a layer, whatever its kind, is a count or size in [1, 2^20].
struct WholeFieldsInRange final : FieldVisitor {
  void whole(const char* key, int& value, std::optional<int>) override {
    CHECK_MESSAGE((value >= 1 && value <= kMaxWhole), key << " = " << value);
  }
  void number(const char*, float&, std::optional<float>) override {}
  void choice(const char*, bool&, const char*, const char*, bool) override {}
};

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
  s.layers = {Conv2dParams{5, 3, 2, true},
              BatchNormParams{1e-5f, 0.9f},
              StandardizeParams{0.25f, 2.0f},
              AvgPoolParams(3, 1),
              DropoutParams{0.3f},
              FlattenParams{},
              DenseParams{7},
              TanhParams{},
              SigmoidParams{},
              SoftmaxParams{}};
  auto back = model_spec_from_json(to_json(s));
  REQUIRE(back.ok());
  CHECK(back->height == 12);
  CHECK(back->width == 10);
  CHECK(back->channels == 3);
  CHECK(back->init == Init::he_normal);
  REQUIRE(back->layers.size() == s.layers.size());
  REQUIRE(back->layers[0].is<Conv2dParams>());
  CHECK(back->layers[0].as<Conv2dParams>()->stride == 2);
  CHECK(back->layers[0].as<Conv2dParams>()->same);
  CHECK(back->layers[1].as<BatchNormParams>()->eps == 1e-5f);
  CHECK(back->layers[1].as<BatchNormParams>()->momentum == 0.9f);
  CHECK(back->layers[2].as<StandardizeParams>()->mean == 0.25f);
  CHECK(back->layers[2].as<StandardizeParams>()->std == 2.0f);
  CHECK(back->layers[3].as<AvgPoolParams>()->size == 3);
  CHECK(back->layers[3].as<AvgPoolParams>()->stride == 1);
  CHECK(back->layers[4].as<DropoutParams>()->rate == 0.3f);
  CHECK(back->layers[6].as<DenseParams>()->units == 7);
  for (size_t i = 0; i < s.layers.size(); ++i) CHECK(std::string(back->layers[i].kind()) == s.layers[i].kind());
  CHECK(to_json(*back) == to_json(s));
}

TEST_CASE("architecture json: optional fields take their defaults") {
  auto r = model_spec_from_json(
      R"({"input":[28,28,1],"layers":[{"type":"conv2d","filters":2,"kernel":3},{"type":"maxpool","size":2},)"
      R"({"type":"batchnorm"}]})");
  REQUIRE(r.ok());
  CHECK(r->init == Init::glorot_uniform);
  CHECK(r->layers[0].as<Conv2dParams>()->stride == 1);
  CHECK_FALSE(r->layers[0].as<Conv2dParams>()->same);
  CHECK(r->layers[1].as<MaxPoolParams>()->stride == 2);  // a pool's stride defaults to its window
  CHECK(r->layers[2].as<BatchNormParams>()->eps == 1e-3f);
  CHECK(r->layers[2].as<BatchNormParams>()->momentum == 0.99f);
}

TEST_CASE("architecture json: a field the layer kind does not have is an error naming what it takes") {
  const std::string e = spec_error(R"({"input":[28,28,1],"layers":[{"type":"dense","units":10,"unit":5}]})");
  CHECK(contains(e, "dense has no field 'unit'"));
  CHECK(contains(e, "units"));
  CHECK(contains(spec_error(R"({"input":[28,28,1],"layers":[{"type":"relu","alpha":0.1}]})"), "takes none"));
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

TEST_CASE("architecture json: a real number too large for a float is an error, not infinity") {
  // Read as infinity it could never be written back (JSON has no infinity): a saved model
  // would not reload. Found by fuzz/architecture_json.cpp.
  for (const char* number : {"1e305", "-3.5e38"}) {
    const std::string e = spec_error(std::string(R"({"input":[28,28,1],"layers":[{"type":"batchnorm","eps":)") + number + "}]}");
    CHECK_MESSAGE(contains(e, "'eps'"), e);
    CHECK_MESSAGE(contains(e, "too large for a 32-bit float"), e);
  }
  CHECK(model_spec_from_json(R"({"input":[28,28,1],"layers":[{"type":"batchnorm","eps":3.4e38}]})").ok());
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
    WholeFieldsInRange check;
    for (LayerSpec l : r->layers) l.fields(check);
  }
  CHECK(parsed > 100);  // edits inside names or numbers often still parse
  CHECK(rejected > 1000);
}

}  // namespace
}  // namespace dt
