// The network editor's arithmetic: shapes, parameters and FLOPs per layer before anything is
// built, and each kind of unusable design named at its layer.
#include <doctest/doctest.h>

#include "nn/network_summary.h"
#include "nn/model.h"

namespace {

dt::ModelSpec from_json(const char* json) { return dt::model_spec_from_json(json).value(); }
constexpr int64_t kPlenty = int64_t{1} << 31;
// The keras-cnn preset's layers.
constexpr const char* kKerasCnn = R"({"input":[28,28,1],"layers":[
  {"type":"conv2d","filters":32,"kernel":3},{"type":"relu"},{"type":"maxpool","size":2},
  {"type":"conv2d","filters":64,"kernel":3},{"type":"relu"},{"type":"maxpool","size":2},
  {"type":"conv2d","filters":64,"kernel":3},{"type":"relu"},{"type":"flatten"},
  {"type":"dense","units":64},{"type":"relu"},{"type":"dense","units":10}]})";

}  // namespace

TEST_CASE("a preset's summary: shapes, trainable parameters and multiply-adds layer by layer") {
  const dt::NetworkSummary s = dt::summarize(from_json(kKerasCnn), 10, 32, kPlenty);
  REQUIRE(s.ok());
  REQUIRE(s.layers.size() == 12);
  CHECK(s.layers[0].name == "conv2d 32 3x3 valid");
  CHECK(s.layers[0].out.h == 26);
  CHECK(s.layers[0].params == 3 * 3 * 32 + 32);
  CHECK(s.layers[0].flops == doctest::Approx(2.0 * 3 * 3 * 32 * 26 * 26));  // 9 weights per output value
  CHECK(s.layers[3].name == "conv2d 64 3x3 valid");
  CHECK(s.layers[3].flops == doctest::Approx(2.0 * 3 * 3 * 32 * 64 * 11 * 11));
  CHECK(s.layers[9].name == "dense 64");
  CHECK(s.layers[9].flops == doctest::Approx(2.0 * 576 * 64));
  CHECK(s.layers[1].flops == doctest::Approx(26 * 26 * 32));  // relu: one per value
  long params = 0;
  for (const auto& l : s.layers) params += l.params;
  CHECK(s.params == params);
  CHECK(s.params == dt::Model::build(from_json(kKerasCnn))->num_trainable());
  CHECK(s.error_layer == -1);
  // Batch norm's running statistics are not trainable parameters.
  const dt::NetworkSummary bn = dt::summarize(from_json(
      R"({"input":[28,28,1],"layers":[{"type":"flatten"},{"type":"dense","units":10},{"type":"batchnorm"}]})"), 10, 1, kPlenty);
  CHECK(bn.layers[2].params == 20);
}

TEST_CASE("an unusable design says what is wrong, at the layer where it is") {
  // The shape goes to zero: a 5x5 kernel on the 3x3 left after two pools.
  auto s = dt::summarize(from_json(R"({"input":[28,28,1],"layers":[{"type":"maxpool","size":4},{"type":"maxpool","size":2},
      {"type":"conv2d","filters":8,"kernel":5},{"type":"flatten"},{"type":"dense","units":10}]})"), 10, 32, kPlenty);
  CHECK(s.error_layer == 2);
  CHECK(s.error.find("larger than") != std::string::npos);
  CHECK(s.layers.size() == 2);  // the layers before it still show

  s = dt::summarize(from_json(R"({"input":[28,28,1],"layers":[{"type":"flatten"},{"type":"dense","units":20}]})"), 10, 32, kPlenty);
  CHECK(s.error_layer == 1);
  CHECK(s.error.find("end with a dense 10") != std::string::npos);

  // Too big for the memory: a billion weights are counted, never allocated.
  s = dt::summarize(from_json(R"({"input":[28,28,1],"layers":[{"type":"flatten"},{"type":"dense","units":1000000},
      {"type":"dense","units":1000},{"type":"dense","units":10}]})"), 10, 32, int64_t{1536} << 20);
  CHECK(s.error_layer == 1);
  CHECK(s.error.find("more than fit in memory") != std::string::npos);
  // Or by the batch's activations, for the network as a whole.
  s = dt::summarize(from_json(R"({"input":[28,28,1],"layers":[{"type":"conv2d","filters":1024,"kernel":3,"padding":"same"},
      {"type":"flatten"},{"type":"dense","units":10}]})"), 10, 4096, int64_t{1536} << 20);
  CHECK(s.error_layer == -1);
  CHECK(s.error.find("at batch 4096") != std::string::npos);
  CHECK(s.error.find("smaller batch") != std::string::npos);

  CHECK(dt::summarize(dt::ModelSpec{}, 10, 32, kPlenty).error == "the network has no layers");
}
