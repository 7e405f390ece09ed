#include "cli/commands.h"

#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <nlohmann/json.hpp>

#include "cli/args.h"
#include "cli/progress.h"
#include "data/augment.h"
#include "data/mnist_files.h"
#include "io/safetensors.h"
#include "train/evaluate.h"
#include "recipe/presets.h"
#include "util/file.h"

namespace dt::cli {

namespace {

using Clock = std::chrono::steady_clock;
double seconds_since(Clock::time_point t0) { return std::chrono::duration<double>(Clock::now() - t0).count(); }

int usage_error(const std::string& message) {
  std::fprintf(stderr, "digitrain: %s\n", message.c_str());
  return 2;
}
int error(const std::string& message) {
  std::fprintf(stderr, "digitrain: %s\n", message.c_str());
  return 1;
}

void print_json(const nlohmann::json& j) {
  std::printf("%s\n", j.dump().c_str());
  std::fflush(stdout);
}

Result<std::string> data_dir(const Args& a) {
  if (a.has("data")) return a.get("data");
  const std::string dataset = a.get("dataset", "mnist");
  if (dataset == "mnist") return std::string(DT_DEFAULT_MNIST_DIR);
  if (dataset == "fashion") return std::string(DT_DEFAULT_FASHION_DIR);
  return Error{"--dataset must be mnist or fashion, not '" + dataset + "'"};
}

Result<TrainTest> load_data(const Args& a) {
  auto dir = data_dir(a);
  if (!dir) return Error{dir.error()};
  return load_mnist_dir(*dir);
}

nlohmann::json confusion_json(const ConfusionMatrix& cm) {
  nlohmann::json rows = nlohmann::json::array();
  for (int i = 0; i < ConfusionMatrix::K; ++i) {
    nlohmann::json row = nlohmann::json::array();
    for (int j = 0; j < ConfusionMatrix::K; ++j) row.push_back(cm.at(i, j));
    rows.push_back(row);
  }
  return rows;
}

nlohmann::json per_class_json(const ConfusionMatrix& cm) {
  nlohmann::json out = nlohmann::json::array();
  for (int k = 0; k < ConfusionMatrix::K; ++k) {
    const ClassScores s = cm.scores(k);
    out.push_back({{"class", k}, {"precision", s.precision}, {"recall", s.recall}, {"f1", s.f1}, {"support", s.support}});
  }
  return out;
}

void print_report(const EvalResult& r) {
  const ConfusionMatrix& cm = r.confusion;
  std::printf("test accuracy %.2f%%  loss %.4f  macro F1 %.4f  kappa %.4f\n", 100 * r.accuracy(), r.loss, cm.macro_f1(),
              cm.cohen_kappa());
  std::printf("\nclass  precision  recall  f1      support\n");
  for (int k = 0; k < ConfusionMatrix::K; ++k) {
    const ClassScores s = cm.scores(k);
    std::printf("%5d  %9.4f  %6.4f  %6.4f  %7ld\n", k, s.precision, s.recall, s.f1, s.support);
  }
  std::printf("\nconfusion matrix (rows: true digit, columns: predicted)\n      ");
  for (int j = 0; j < ConfusionMatrix::K; ++j) std::printf("%6d", j);
  std::printf("\n");
  for (int i = 0; i < ConfusionMatrix::K; ++i) {
    std::printf("%6d", i);
    for (int j = 0; j < ConfusionMatrix::K; ++j) std::printf("%6ld", cm.at(i, j));
    std::printf("\n");
  }
}

const FlagSpec kTrainFlags{{"preset", "epochs", "batch", "lr", "optimizer", "momentum", "schedule", "l1", "l2", "loss",
                            "focal-gamma", "rotate", "scale", "shift", "val", "patience", "limit", "threads", "seed",
                            "dataset", "data", "save"},
                           {"json", "augment", "no-progress"}};

// Preset defaults, then each flag given on the command line.
Status apply_flags(const Args& a, TrainConfig& c, float& val_fraction, long& limit) {
  auto set_int = [&](const char* name, auto& field) -> Status {
    auto v = a.integer(name, static_cast<long>(field));
    if (!v) return fail(v.error());
    if (*v < -2147483647L || *v > 2147483647L) return fail(std::string("--") + name + " is out of range");
    field = static_cast<std::remove_reference_t<decltype(field)>>(*v);
    return Status::success();
  };
  auto set_float = [&](const char* name, float& field) -> Status {
    auto v = a.number(name, field);
    if (!v) return fail(v.error());
    field = static_cast<float>(*v);
    return Status::success();
  };
  for (Status s : {set_int("epochs", c.epochs), set_int("batch", c.batch), set_float("lr", c.lr),
                   set_float("momentum", c.optimizer.momentum), set_float("l1", c.optimizer.l1),
                   set_float("l2", c.optimizer.l2), set_float("focal-gamma", c.focal_gamma),
                   set_int("patience", c.patience), set_int("threads", c.threads), set_float("val", val_fraction)})
    if (!s) return s;
  auto seed = a.integer("seed", static_cast<long>(c.seed));
  if (!seed) return fail(seed.error());
  c.seed = static_cast<uint64_t>(*seed);
  auto lim = a.integer("limit", 0);
  if (!lim) return fail(lim.error());
  if (*lim < 0) return fail("--limit must not be negative");
  limit = *lim;
  if (a.has("optimizer")) {
    auto o = parse_optimizer(a.get("optimizer"));
    if (!o) return fail(o.error());
    c.optimizer.kind = *o;
  }
  if (a.has("schedule")) {
    auto s = parse_schedule(a.get("schedule"));
    if (!s) return fail(s.error());
    c.schedule.kind = *s;
  }
  if (a.has("loss")) {
    auto l = parse_loss(a.get("loss"));
    if (!l) return fail(l.error());
    c.loss = *l;
  }
  if (a.has("augment")) c.augment = Augment{10.0f, 0.1f, 2.0f};
  for (Status s : {set_float("rotate", c.augment.rotate_degrees), set_float("scale", c.augment.scale),
                   set_float("shift", c.augment.shift)})
    if (!s) return s;
  if (!(val_fraction >= 0.0f && val_fraction <= 0.5f)) return fail("--val must be a fraction between 0 and 0.5");
  return validate(c);
}

}  // namespace

int cmd_presets(const std::vector<std::string>& argv) {
  auto a = Args::parse(argv, {{}, {"json"}}, "presets");
  if (!a) return usage_error(a.error());
  nlohmann::json all = nlohmann::json::array();
  for (const Preset& p : presets()) {
    auto model = Model::build(p.model);
    const long params = model ? model->num_trainable() : 0;
    if (a->has("json")) {
      all.push_back({{"name", p.name}, {"origin", p.origin}, {"layers", describe(p.model)}, {"parameters", params},
                     {"optimizer", optimizer_name(p.train.optimizer.kind)}, {"lr", p.train.lr},
                     {"batch", p.train.batch}, {"epochs", p.train.epochs},
                     {"schedule", schedule_name(p.train.schedule.kind)}, {"validation", p.val_fraction}});
      continue;
    }
    std::printf("%-18s %s, %ld parameters\n", p.name.c_str(), p.origin.c_str(), params);
    std::printf("  layers:   %s\n", describe(p.model).c_str());
    std::printf("  training: %s lr %g, batch %d, %d epochs, %s schedule, %.0f%% validation\n\n",
                optimizer_name(p.train.optimizer.kind), p.train.lr, p.train.batch, p.train.epochs,
                schedule_name(p.train.schedule.kind), 100.0 * p.val_fraction);
  }
  if (a->has("json")) print_json(all);
  return 0;
}

int cmd_train(const std::vector<std::string>& argv) {
  auto a = Args::parse(argv, kTrainFlags, "train");
  if (!a) return usage_error(a.error());
  auto preset = find_preset(a->get("preset", "keras-cnn"));
  if (!preset) return usage_error(preset.error());
  TrainConfig cfg = preset->train;
  float val_fraction = preset->val_fraction;
  long limit = 0;
  if (Status s = apply_flags(*a, cfg, val_fraction, limit); !s) return usage_error(s.error);
  // A --save path that cannot be written fails now, not after the whole training run.
  if (a->has("save"))
    if (Status s = check_writable(a->get("save")); !s) return error("--save " + s.error);
  const bool json = a->has("json");
  const bool live = !json && !a->has("no-progress") && isatty(STDOUT_FILENO);

  auto data = load_data(*a);
  if (!data) return error(data.error());
  Split split = split_validation(take_first(data->train, static_cast<int>(limit)), val_fraction, cfg.seed);
  if (split.train.count == 0) return error("no training samples left after the validation split");
  if (split.train.height != 28 || split.train.width != 28)
    return error("images are " + std::to_string(split.train.height) + "x" + std::to_string(split.train.width) +
                 ", the presets need 28x28 MNIST-style digits; point --data at such a folder");

  auto model = Model::build(preset->model);
  if (!model) return error(model.error());
  model->initialize(cfg.seed);
  Trainer trainer(*model, split.train, cfg);

  if (json)
    print_json({{"event", "start"}, {"preset", preset->name}, {"parameters", model->num_trainable()},
                {"train_samples", split.train.count}, {"val_samples", split.val.count},
                {"test_samples", data->test.count}, {"epochs", cfg.epochs}, {"batch", cfg.batch}, {"lr", cfg.lr},
                {"optimizer", optimizer_name(cfg.optimizer.kind)}, {"threads", trainer.threads()}});
  else
    std::printf("training %s (%ld parameters) on %d samples, validating on %d, %d threads\n", preset->name.c_str(),
                model->num_trainable(), split.train.count, split.val.count, trainer.threads());

  const auto t0 = Clock::now();
  double step_seconds = 0;
  long samples = 0;
  auto last_print = Clock::now();
  nlohmann::json history = nlohmann::json::array();
  while (!trainer.finished()) {
    const auto ts = Clock::now();
    const StepReport r = trainer.step();
    step_seconds += seconds_since(ts);
    samples = r.samples_seen;
    const double sps = samples / std::max(step_seconds, 1e-9);
    const bool time_to_print = seconds_since(last_print) > (live ? 0.1 : 2.0);
    if ((time_to_print || r.epoch_end) && (live || json)) {
      last_print = Clock::now();
      const double eta = (r.total_steps - r.global_step) * double(cfg.batch) / std::max(sps, 1e-9);
      if (live) {
        std::printf("\r%s\x1b[K", progress_line(r, cfg.epochs, sps, eta, 24).c_str());
        std::fflush(stdout);
      } else if (!r.epoch_end) {
        print_json({{"event", "step"}, {"epoch", r.epoch + 1}, {"step", r.global_step}, {"samples_seen", r.samples_seen},
                    {"loss", r.loss}, {"train_accuracy", r.epoch_accuracy}, {"lr", r.lr}, {"samples_per_second", sps}});
      }
    }
    if (!r.epoch_end) continue;
    if (live) std::printf("\n");
    nlohmann::json epoch{{"event", "epoch"}, {"epoch", r.epoch + 1}, {"train_loss", r.epoch_loss},
                         {"train_accuracy", r.epoch_accuracy}, {"samples_per_second", sps},
                         {"seconds", seconds_since(t0)}};
    bool stop = false;
    if (split.val.count > 0) {
      const EvalResult v = trainer.evaluate(split.val);
      epoch["val_loss"] = v.loss;
      epoch["val_accuracy"] = v.accuracy();
      epoch["val_macro_f1"] = v.confusion.macro_f1();
      stop = trainer.end_epoch(v);
      if (!json)
        std::printf("epoch %d/%d  train loss %.4f acc %.2f%%  val loss %.4f acc %.2f%% macro F1 %.4f%s\n", r.epoch + 1,
                    cfg.epochs, r.epoch_loss, 100 * r.epoch_accuracy, v.loss, 100 * v.accuracy(),
                    v.confusion.macro_f1(), stop ? "  (early stop: restoring best weights)" : "");
    } else if (!json) {
      std::printf("epoch %d/%d  train loss %.4f acc %.2f%%\n", r.epoch + 1, cfg.epochs, r.epoch_loss,
                  100 * r.epoch_accuracy);
    }
    if (json) print_json(epoch);
    history.push_back(epoch);
  }
  const double train_seconds = seconds_since(t0);
  const EvalResult test = trainer.evaluate(data->test);
  const double sps = samples / std::max(step_seconds, 1e-9);

  if (a->has("save")) {
    const auto bytes = save_safetensors(*model, {{"preset", preset->name},
                                                 {"dataset", a->get("dataset", "mnist")},
                                                 {"test_accuracy", std::to_string(test.accuracy())}});
    if (Status s = write_file(a->get("save"), bytes); !s) return error(s.error);
  }
  if (json) {
    print_json({{"event", "done"}, {"preset", preset->name}, {"epochs_run", trainer.global_step() / trainer.steps_per_epoch()},
                {"stopped_early", trainer.stopped_early()}, {"test_accuracy", test.accuracy()}, {"test_loss", test.loss},
                {"macro_precision", test.confusion.macro_precision()}, {"macro_recall", test.confusion.macro_recall()},
                {"macro_f1", test.confusion.macro_f1()}, {"kappa", test.confusion.cohen_kappa()},
                {"per_class", per_class_json(test.confusion)}, {"confusion", confusion_json(test.confusion)},
                {"train_seconds", train_seconds}, {"samples_per_second", sps}, {"threads", trainer.threads()}});
  } else {
    std::printf("\ntrained in %s (%.1f s), %.0f samples/s\n", format_duration(train_seconds).c_str(), train_seconds, sps);
    print_report(test);
    if (a->has("save")) std::printf("\nsaved %s\n", a->get("save").c_str());
  }
  return 0;
}

namespace {
Result<Model> load_model_file(const std::string& path) {
  if (path.empty()) return Error{"--model FILE is required"};
  auto bytes = read_file(path);
  if (!bytes) return Error{bytes.error()};
  return load_safetensors(bytes->data(), bytes->size(), path);
}
}  // namespace

int cmd_eval(const std::vector<std::string>& argv) {
  auto a = Args::parse(argv, {{"model", "dataset", "data", "threads"}, {"json"}}, "eval");
  if (!a) return usage_error(a.error());
  if (!a->has("model")) return usage_error("eval needs --model FILE.safetensors");
  auto threads = a->integer("threads", 0);
  if (!threads) return usage_error(threads.error());
  // The same bound as training: asking the system for thousands of threads ends the process.
  if (*threads < 0 || *threads > 256) return usage_error("--threads must be between 0 (all) and 256");
  auto model = load_model_file(a->get("model"));
  if (!model) return error(model.error());
  auto data = load_data(*a);
  if (!data) return error(data.error());
  const Shape3 in = model->input_shape();
  if (in.h != data->test.height || in.w != data->test.width || in.c != 1)
    return error(a->get("model") + ": the model expects " + std::to_string(in.h) + "x" + std::to_string(in.w) + "x" +
                 std::to_string(in.c) + " inputs but the test images are " + std::to_string(data->test.height) + "x" +
                 std::to_string(data->test.width) + "x1; evaluate it on the kind of images it was trained on");
  Evaluator ev(*model, static_cast<int>(*threads));
  const EvalResult r = ev.run(data->test);
  if (a->has("json"))
    print_json({{"event", "eval"}, {"test_accuracy", r.accuracy()}, {"test_loss", r.loss},
                {"macro_f1", r.confusion.macro_f1()}, {"kappa", r.confusion.cohen_kappa()},
                {"per_class", per_class_json(r.confusion)}, {"confusion", confusion_json(r.confusion)}});
  else
    print_report(r);
  return 0;
}

namespace {
// A binary PGM (P5) of 28x28 8-bit pixels, white digit on black as in MNIST.
Result<std::vector<float>> read_pgm(const std::string& path) {
  auto bytes = read_file(path);
  if (!bytes) return Error{bytes.error()};
  const auto& b = *bytes;
  size_t i = 0;
  auto token = [&]() -> std::string {
    while (i < b.size()) {
      if (b[i] == '#')
        while (i < b.size() && b[i] != '\n') ++i;
      else if (std::isspace(b[i]))
        ++i;
      else
        break;
    }
    std::string t;
    while (i < b.size() && !std::isspace(b[i]) && t.size() < 16) t.push_back(static_cast<char>(b[i++]));
    return t;
  };
  const std::string magic = token(), w = token(), h = token(), maxv = token();
  if (magic != "P5" || w != "28" || h != "28" || maxv != "255" || i >= b.size())
    return Error{path + ": expected a binary PGM (P5) of 28x28 pixels with maxval 255"};
  ++i;  // the single whitespace after maxval
  if (b.size() - i != 784) return Error{path + ": PGM pixel data is " + std::to_string(b.size() - i) + " bytes, expected 784"};
  std::vector<float> px(784);
  for (int k = 0; k < 784; ++k) px[k] = b[i + k] / 255.0f;
  return px;
}
}  // namespace

int cmd_predict(const std::vector<std::string>& argv) {
  auto a = Args::parse(argv, {{"model", "index", "pgm", "dataset", "data"}, {"json"}}, "predict");
  if (!a) return usage_error(a.error());
  if (!a->has("model")) return usage_error("predict needs --model FILE.safetensors");
  if (a->has("index") == a->has("pgm")) return usage_error("predict needs one of --index N (a test image) or --pgm FILE");
  auto model = load_model_file(a->get("model"));
  if (!model) return error(model.error());
  // Checked before reading any image: both kinds of input are 28x28 single-channel.
  const Shape3 in = model->input_shape();
  if (in.h != 28 || in.w != 28 || in.c != 1)
    return error(a->get("model") + ": the model takes " + std::to_string(in.h) + "x" + std::to_string(in.w) + "x" +
                 std::to_string(in.c) + " inputs; predict needs a model for 28x28 single-channel digits");
  std::vector<float> pixels(784);
  int truth = -1;
  if (a->has("pgm")) {
    auto px = read_pgm(a->get("pgm"));
    if (!px) return error(px.error());
    pixels = *px;
  } else {
    auto index = a->integer("index", 0);
    if (!index) return usage_error(index.error());
    auto data = load_data(*a);
    if (!data) return error(data.error());
    if (*index < 0 || *index >= data->test.count)
      return usage_error("--index must be between 0 and " + std::to_string(data->test.count - 1));
    // Other-sized images would be read past their end as 28x28.
    if (data->test.height != 28 || data->test.width != 28)
      return error("the test images are " + std::to_string(data->test.height) + "x" + std::to_string(data->test.width) +
                   ", predict needs 28x28");
    // The conversion eval and training use, so a test image is classified exactly as there.
    load_sample(pixels.data(), data->test.image(static_cast<int>(*index)), 28, 28, Augment{}, nullptr);
    truth = data->test.labels[*index];
  }
  Evaluator ev(*model, 1, 1);
  std::vector<float> probs(model->classes());
  ev.predict(probs.data(), pixels.data(), 1);
  const int digit = static_cast<int>(std::max_element(probs.begin(), probs.end()) - probs.begin());
  if (a->has("json")) {
    nlohmann::json j{{"event", "predict"}, {"digit", digit}, {"probabilities", probs}};
    if (truth >= 0) j["label"] = truth;
    print_json(j);
  } else {
    std::printf("digit %d (%.1f%%)%s\n", digit, 100 * probs[digit],
                truth >= 0 ? (" label " + std::to_string(truth)).c_str() : "");
    for (int k = 0; k < static_cast<int>(probs.size()); ++k) std::printf("  %d  %6.2f%%\n", k, 100 * probs[k]);
  }
  return 0;
}

}  // namespace dt::cli
