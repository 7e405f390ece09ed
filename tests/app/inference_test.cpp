// The page's copy of the network explains the pad's image: the same maps as the engine's
// attribution of that image, without disturbing the feature maps the Inspect panel shows.
#include <doctest/doctest.h>

#include <cmath>
#include <vector>

#include "app/inference.h"
#include "io/safetensors.h"
#include "nn/attribution.h"
#include "nn/layers/activation_layers.h"
#include "nn/layers/batchnorm_layer.h"
#include "nn/layers/dense_layer.h"
#include "nn/layers/flatten_layer.h"
#include "quant/quantize.h"
#include "recipe/presets.h"
#include "util/digit_shape.h"

namespace {

// A vertical bar, as a drawn 1 reaches the network.
std::vector<float> bar() {
  std::vector<float> px(dt::kDigitPixels, 0.0f);
  for (int r = 6; r < 22; ++r)
    for (int c = 13; c < 16; ++c) px[r * dt::kDigitSide + c] = 1.0f;
  return px;
}

}  // namespace

TEST_CASE("the page's attribution is the engine's for the predicted image, and leaves its feature maps") {
  dt::Inference inference;
  const std::vector<float> px = bar();
  const dt::Prediction guess = inference.predict(px.data());
  const dt::Shape3 shape = inference.model().shape_after(0);
  const std::vector<float> maps(inference.activation_after(0), inference.activation_after(0) + shape.size());

  for (dt::AttributionMethod method : {dt::AttributionMethod::gradient_x_input, dt::AttributionMethod::occlusion}) {
    INFO(dt::attribution_method_name(method));
    dt::Result<std::vector<float>> map = inference.attribution(guess.digit, method);
    REQUIRE(map.ok());
    REQUIRE(map->size() == size_t(dt::kDigitPixels));
    dt::Workspace ws(inference.model(), 8);
    const std::vector<float> want = dt::attribution(inference.model(), ws, px.data(), guess.digit, method);
    double largest = 0, off = 0;
    for (int i = 0; i < dt::kDigitPixels; ++i) {
      largest = std::max(largest, std::fabs(double(want[i])));
      off = std::max(off, std::fabs(double((*map)[i]) - want[i]));
    }
    CHECK(largest > 0);
    CHECK(off <= 1e-4 * largest);  // another batch size only changes float rounding
    // Both methods leave pixels far from the bar at 0: gradient x input is 0 on background,
    // and no occluding patch over it hides anything.
    CHECK((*map)[2 * dt::kDigitSide + 2] == 0.0f);
    CHECK((*map)[14 * dt::kDigitSide + 25] == 0.0f);
  }
  CHECK(std::equal(maps.begin(), maps.end(), inference.activation_after(0)));
  CHECK_FALSE(inference.attribution(10, dt::AttributionMethod::gradient_x_input).ok());
  CHECK_FALSE(inference.attribution(-1, dt::AttributionMethod::occlusion).ok());
}

TEST_CASE("attribution follows a snapshot of another architecture (batch-normalised mlp)") {
  dt::Inference inference;
  const std::vector<float> px = bar();
  inference.predict(px.data());
  REQUIRE(inference.attribution(3, dt::AttributionMethod::occlusion).ok());  // sizes its workspace for keras-cnn

  dt::ModelSpec spec;
  spec.layers = {dt::FlattenParams{}, dt::DenseParams{16}, dt::BatchNormParams{}, dt::ReluParams{}, dt::DenseParams{10}};
  dt::Result<dt::Model> mlp = dt::Model::build(spec);
  REQUIRE(mlp.ok());
  mlp->initialize(4);
  const std::vector<uint8_t> bytes = dt::save_safetensors(*mlp);
  REQUIRE(inference.set_weights(bytes.data(), bytes.size()).ok());
  inference.predict(px.data());
  dt::Result<std::vector<float>> map = inference.attribution(3, dt::AttributionMethod::gradient_x_input);
  REQUIRE(map.ok());
  dt::Workspace ws(*mlp, 1);
  CHECK(*map == dt::gradient_x_input(*mlp, ws, px.data(), 3));
}

TEST_CASE("the pad's int8 twin: made from the weights on the pad, close to them, dropped when they change") {
  dt::Inference inference;
  dt::Model model = inference.model();  // keras-cnn, initialised
  model.initialize(7);
  const std::vector<uint8_t> file = dt::save_safetensors(model);
  REQUIRE(inference.set_weights(file.data(), file.size()).ok());
  CHECK_FALSE(inference.has_int8());

  // Calibrated on a few bars at different places: the pad's kind of image.
  std::vector<float> calibration;
  for (int shift = -4; shift <= 4; ++shift) {
    std::vector<float> px(dt::kDigitPixels, 0.0f);
    for (int r = 6; r < 22; ++r)
      for (int c = 13; c < 16; ++c) px[r * dt::kDigitSide + c + shift] = 1.0f;
    calibration.insert(calibration.end(), px.begin(), px.end());
  }
  dt::Result<dt::QuantizeResult> q = dt::quantize_model(model, calibration.data(), 9);
  REQUIRE(q.ok());
  REQUIRE(inference.set_int8(q->bytes.data(), q->bytes.size()).ok());
  REQUIRE(inference.has_int8());
  const std::vector<float> px = bar();
  const dt::Prediction f = inference.predict(px.data());
  const dt::Prediction i8 = inference.predict_int8();
  double off = 0;
  for (int k = 0; k < 10; ++k) off = std::max(off, std::fabs(double(f.probabilities[k]) - i8.probabilities[k]));
  CHECK(off < 0.02);  // 8 bits where the float model has 24

  // Another model's int8 file is refused, and the twin kept; new weights drop it.
  dt::Result<dt::Preset> mlp = dt::find_preset("mlp");
  dt::Result<dt::Model> other = dt::Model::build(mlp->model);
  other->initialize(1);
  dt::Result<dt::QuantizeResult> q_other = dt::quantize_model(*other, calibration.data(), 9);
  REQUIRE(q_other.ok());
  const dt::Status refused = inference.set_int8(q_other->bytes.data(), q_other->bytes.size());
  CHECK(refused.error.find("not those of the model on the pad") != std::string::npos);
  CHECK(inference.has_int8());
  CHECK_FALSE(inference.set_int8(file.data(), file.size()).ok());  // a float file is no int8 model
  REQUIRE(inference.set_weights(file.data(), file.size()).ok());
  CHECK_FALSE(inference.has_int8());
}
