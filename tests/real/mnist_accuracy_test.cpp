// The real-data tier: keras-cnn trained for one epoch on the MNIST files setup installed must
// reach at least 98.0% on the 10k test set (the seed tutorial reports ~98.5-99% after 5), and
// its int8 copy (quant/), calibrated on 500 training images, must lose at most 0.1 percentage
// point of that.
#include <doctest/doctest.h>

#include <algorithm>

#include "data/augment.h"
#include "data/mnist_files.h"
#include "quant/predict_int8.h"
#include "quant/quantize.h"
#include "recipe/presets.h"
#include "train/trainer.h"

namespace dt {
namespace {

TEST_CASE("keras-cnn, one epoch on MNIST, reaches 98% test accuracy") {
  auto data = load_mnist_dir(DT_MNIST_DIR);
  REQUIRE_MESSAGE(data.ok(), data.error());
  REQUIRE(data->train.count == 60000);
  REQUIRE(data->test.count == 10000);
  const Preset p = *find_preset("keras-cnn");
  TrainConfig cfg = p.train;
  cfg.epochs = 1;
  cfg.seed = 1;
  Split split = split_validation(data->train, p.val_fraction, cfg.seed);
  auto model = Model::build(p.model);
  REQUIRE(model.ok());
  model->initialize(cfg.seed);
  Trainer trainer(*model, split.train, cfg);
  while (!trainer.finished()) trainer.step();
  const EvalResult test = trainer.evaluate(data->test);
  MESSAGE("keras-cnn 1 epoch: test accuracy " << test.accuracy() << ", macro F1 " << test.confusion.macro_f1());
  CHECK(test.accuracy() >= 0.980);
  CHECK(test.confusion.total() == 10000);

  // int8: 500 training images calibrate, then the whole test set.
  const auto calib_idx = calibration_indices(500, split.train.count, 1);
  std::vector<float> calib(calib_idx.size() * 784);
  for (size_t i = 0; i < calib_idx.size(); ++i)
    load_sample(calib.data() + i * 784, split.train.image(calib_idx[i]), 28, 28, Augment{}, nullptr);
  auto q = quantize_model(*model, calib.data(), static_cast<int>(calib_idx.size()));
  REQUIRE_MESSAGE(q.ok(), q.error());
  std::vector<float> px(10000 * 784), probs(10000 * 10);
  for (int i = 0; i < 10000; ++i) load_sample(px.data() + i * 784, data->test.image(i), 28, 28, Augment{}, nullptr);
  QuantWorkspace qws(q->model, 256);
  predict_probs_int8(probs.data(), q->model, qws, px.data(), 10000);
  int correct = 0;
  for (int i = 0; i < 10000; ++i)
    correct += std::max_element(&probs[i * 10], &probs[i * 10] + 10) - &probs[i * 10] == data->test.labels[i];
  const double int8_accuracy = correct / 10000.0;
  MESSAGE("keras-cnn int8: test accuracy " << int8_accuracy << " (float " << test.accuracy() << "), file "
                                           << q->bytes.size() << " bytes");
  CHECK(int8_accuracy >= test.accuracy() - 0.001 - 1e-9);
}

}  // namespace
}  // namespace dt
