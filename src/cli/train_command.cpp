// `digitrain train`: trains a preset, with the flags' overrides, and reports the test metrics.
// The run itself is a TrainingRun (train/run.h); this file reads the flags and renders the
// run's events in one of three forms: a live progress bar on a terminal, plain text lines, or
// one JSON object per line (--json).
#include <unistd.h>

#include <cstdio>
#include <optional>

#include "cli/args.h"
#include "cli/commands.h"
#include "cli/inputs.h"
#include "cli/output.h"
#include "cli/progress.h"
#include "cli/train_flags.h"
#include "data/augment.h"
#include "io/safetensors.h"
#include "recipe/presets.h"
#include "metrics/metrics_json.h"
#include "nn/spec.h"
#include "train/memory_budget.h"
#include "train/run.h"
#include "util/digit_shape.h"
#include "util/file.h"
#include "util/format_duration.h"
#include "util/thread_pool.h"

namespace dt::cli {

namespace {

// 1. FLAGS (their names: cli/train_flags.h) ##################################

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
                   set_float("label-smoothing", c.label_smoothing),
                   set_int("patience", c.patience), set_int("threads", c.threads), set_float("val", val_fraction)})
    if (!s) return s;
  auto seed = a.integer("seed", static_cast<long>(c.seed));
  if (!seed) return fail(seed.error());
  c.seed = static_cast<uint64_t>(*seed);
  auto lim = a.integer("limit", 0);
  if (!lim) return fail(lim.error());
  // Checked before it narrows to the int a dataset counts in (4294968296 once trained on 1000).
  if (*lim < 0 || *lim > 100000000) return fail("--limit must be between 0 (all) and 100000000 samples");
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
  if (a.has("augment") && !c.augment.enabled()) c.augment = standard_augment();  // else the preset's own
  for (Status s : {set_float("rotate", c.augment.rotate_degrees), set_float("scale", c.augment.scale),
                   set_float("shift", c.augment.shift), set_float("elastic", c.augment.elastic_alpha),
                   set_float("elastic-sigma", c.augment.elastic_sigma)})
    if (!s) return s;
  if (!(val_fraction >= 0.0f && val_fraction <= 0.5f)) return fail("--val must be a fraction between 0 and 0.5");
  // Early stopping watches the validation loss: without a validation share it could never act.
  if (c.patience > 0 && val_fraction <= 0.0f)
    return fail("--patience " + std::to_string(c.patience) + " needs a validation share to watch: --val above 0 (e.g. 0.1)");
  return validate(c);
}

// 2. RENDERING THE RUN #######################################################

enum class Output {
  live,  // a progress bar redrawn in place (stdout is a terminal), then a line per epoch
  text,  // a line per epoch (redirected output, or --no-progress)
  json,  // one object per line: start, step (every 2 s), epoch, done
};

// How long a slice of training runs between two renderings: as long as the display waits.
SliceBudget slice_for(Output out) {
  switch (out) {
    case Output::live: return SliceBudget::seconds(0.1);
    case Output::json: return SliceBudget::seconds(2.0);
    case Output::text: break;
  }
  return SliceBudget::until_epoch_end();
}

void print_start(Output out, const std::string& preset, const Model& model, const Split& split, const Dataset& test,
                 const TrainConfig& cfg, int threads) {
  if (out == Output::json)
    print_json({{"event", "start"}, {"preset", preset}, {"parameters", model.num_trainable()},
                {"train_samples", split.train.count}, {"val_samples", split.val.count}, {"test_samples", test.count},
                {"epochs", cfg.epochs}, {"batch", cfg.batch}, {"lr", cfg.lr},
                {"optimizer", optimizer_name(cfg.optimizer.kind)}, {"threads", threads}});
  else
    std::printf("training %s (%ld parameters) on %d samples, validating on %d, %d threads\n", preset.c_str(),
                model.num_trainable(), split.train.count, split.val.count, threads);
}

void print_epoch(Output out, const EpochReport& e, const RunProgress& p, int epochs) {
  const EvalResult* val = e.validation ? &*e.validation : nullptr;
  if (out == Output::json) {
    nlohmann::json j{{"event", "epoch"},         {"epoch", e.epoch},
                     {"train_loss", e.train_loss}, {"train_accuracy", e.train_accuracy},
                     {"samples_per_second", p.samples_per_second}, {"seconds", e.wall_seconds}};
    if (val) {
      j["val_loss"] = val->loss;
      j["val_accuracy"] = val->accuracy();
      j["val_macro_f1"] = val->confusion.macro_f1();
    }
    if (e.restored_epoch) j["restored_epoch"] = e.restored_epoch;
    print_json(j);
  } else if (val) {
    const std::string restored = e.restored_epoch ? std::to_string(e.restored_epoch) : "";
    const std::string note = e.stopped_early    ? "  (early stop: restoring the best weights, epoch " + restored + ")"
                             : e.restored_epoch ? "  (restoring the best weights, epoch " + restored + ")"
                                                : "";
    std::printf("epoch %d/%d  train loss %.4f acc %.2f%%  val loss %.4f acc %.2f%% macro F1 %.4f%s\n", e.epoch, epochs,
                e.train_loss, 100 * e.train_accuracy, val->loss, 100 * val->accuracy(), val->confusion.macro_f1(),
                note.c_str());
  } else {
    std::printf("epoch %d/%d  train loss %.4f acc %.2f%%\n", e.epoch, epochs, e.train_loss, 100 * e.train_accuracy);
  }
}

// What one slice brought: the bar or a step line, and the epoch's line when it ended one.
void print_slice(Output out, const RunEvent& e, int epochs) {
  const RunProgress& p = e.progress;
  const StepReport& r = p.step;
  if (out == Output::live) {
    std::printf("\r%s\x1b[K", progress_line(r, epochs, p.samples_per_second, p.eta_seconds, 24).c_str());
    if (e.epoch) std::printf("\n");
    std::fflush(stdout);
  } else if (out == Output::json && !e.epoch) {
    print_json({{"event", "step"}, {"epoch", r.epoch + 1}, {"step", r.global_step}, {"samples_seen", r.samples_seen},
                {"loss", r.loss}, {"train_accuracy", r.epoch_accuracy}, {"lr", r.lr},
                {"samples_per_second", p.samples_per_second}});
  }
  if (e.epoch) print_epoch(out, *e.epoch, p, epochs);
}

struct RunSummary {
  std::string preset;
  int epochs_run = 0;
  bool stopped_early = false;
  int restored_epoch = 0;  // the best validation epoch whose weights the run ended with, or 0
  double train_seconds = 0;  // wall time from the start to the end of the last epoch
  double samples_per_second = 0;
  int threads = 0;
};

void print_done(Output out, const RunSummary& s, const EvalResult& test, const std::string& saved_to) {
  const ConfusionMatrix& cm = test.confusion;
  if (out == Output::json) {
    print_json({{"event", "done"}, {"preset", s.preset}, {"epochs_run", s.epochs_run},
                {"stopped_early", s.stopped_early}, {"restored_epoch", s.restored_epoch}, {"test_accuracy", test.accuracy()}, {"test_loss", test.loss},
                {"macro_precision", cm.macro_precision()}, {"macro_recall", cm.macro_recall()},
                {"macro_f1", cm.macro_f1()}, {"kappa", cm.cohen_kappa()}, {"per_class", per_class_json(cm)},
                {"confusion", confusion_json(cm)}, {"train_seconds", s.train_seconds},
                {"samples_per_second", s.samples_per_second}, {"threads", s.threads}});
    return;
  }
  std::printf("\ntrained in %s (%.1f s), %.0f samples/s\n", format_duration(s.train_seconds).c_str(), s.train_seconds,
              s.samples_per_second);
  print_test_report(test);
  if (!saved_to.empty()) std::printf("\nsaved %s\n", saved_to.c_str());
}

// --arch: a model spec as JSON (nn/spec.h), the same text a saved model carries.
Result<ModelSpec> read_architecture(const std::string& path) {
  auto bytes = read_file(path);
  if (!bytes) return Error{"--arch " + bytes.error()};
  auto spec = model_spec_from_json(std::string(bytes->begin(), bytes->end()));
  if (!spec) return Error{"--arch " + path + ": " + spec.error()};
  return spec;
}

}  // namespace

// 3. THE COMMAND #############################################################

int cmd_train(const std::vector<std::string>& argv) {
  auto a = Args::parse(argv, kTrainFlags, "train");
  if (!a) return usage_error(a.error());
  auto preset = find_preset(a->get("preset", "keras-cnn"));
  if (!preset) return usage_error(preset.error());
  TrainConfig cfg = preset->train;
  float val_fraction = preset->val_fraction;
  long limit = 0;
  if (Status s = apply_flags(*a, cfg, val_fraction, limit); !s) return usage_error(s.error);
  // A bad --arch or --from file fails before the data loads.
  std::optional<Model> from;  // --from: the saved model training goes on from
  if (a->has("from")) {
    if (a->has("arch")) return usage_error("--from trains the saved model's own layers; drop --arch");
    auto saved = load_model_file(a->get("from"));
    if (!saved) return error(saved.error());
    preset->model = saved->spec();
    from = std::move(*saved);
  }
  if (a->has("arch")) {
    auto arch = read_architecture(a->get("arch"));
    if (!arch) return error(arch.error());
    preset->model = *arch;
    preset->name = "custom";
  }
  // A --save path that cannot be written fails now, not after the whole training run.
  const std::string save_path = a->get("save");
  if (a->has("save"))
    if (Status s = check_writable(save_path); !s) return error("--save " + s.error);
  const Output out = a->has("json")                                         ? Output::json
                     : !a->has("no-progress") && isatty(STDOUT_FILENO) != 0 ? Output::live
                                                                            : Output::text;

  auto data = load_data(*a);
  if (!data) return error(data.error());
  Split split = split_validation(take_first(data->train, static_cast<int>(limit)), val_fraction, cfg.seed);
  if (split.train.count == 0) return error("no training samples left after the validation split");
  if (split.train.height != kDigitSide || split.train.width != kDigitSide)
    return error("images are " + std::to_string(split.train.height) + "x" + std::to_string(split.train.width) +
                 ", the presets need " + std::to_string(kDigitSide) + "x" + std::to_string(kDigitSide) +
                 " MNIST-style digits; point --data at such a folder");
  auto model = from ? Result<Model>(std::move(*from)) : Model::build(preset->model);
  if (!model) return error(model.error());
  if (const Shape3 in = model->input_shape(); in.h != split.train.height || in.w != split.train.width || in.c != 1)
    return error((a->has("from") ? a->get("from") : a->has("arch") ? a->get("arch") : preset->name) + ": the model takes " + std::to_string(in.h) + "x" + std::to_string(in.w) + "x" +
                 std::to_string(in.c) + " inputs, not the " + std::to_string(split.train.height) + "x" +
                 std::to_string(split.train.width) + " images of --data");
  const int threads = cfg.threads > 0 ? cfg.threads : ThreadPool::hardware_threads();
  if (Status s = check_training_memory(*model, cfg, threads, training_memory_budget()); !s) return error(s.error);
  if (!a->has("from")) model->initialize(cfg.seed);

  TrainingRun run(*model, {split.train, split.val, &data->test}, cfg, TestEvaluation::at_end);
  print_start(out, preset->name, *model, split, data->test, cfg, run.threads());
  RunSummary summary{preset->name};
  for (RunEvent e; !e.done;) {
    e = run.advance(slice_for(out));
    print_slice(out, e, cfg.epochs);
    if (e.epoch) {
      summary.train_seconds = e.epoch->wall_seconds;
      summary.restored_epoch = e.epoch->restored_epoch;
    }
    summary.samples_per_second = e.progress.samples_per_second;
  }
  if (!run.divergence().empty()) {
    // The weights are those of the last good step: kept when asked for, and the exit status
    // still says the run failed.
    if (out == Output::live) std::printf("\n");
    std::string kept;
    if (a->has("save")) {
      const auto bytes = save_safetensors(*model, {{"preset", preset->name},
                                                   {"dataset", a->get("dataset", "mnist")},
                                                   {"diverged", run.divergence()}});
      if (Status s = write_file(save_path, bytes); !s) return error(run.divergence() + "; " + s.error);
      kept = "; the last good weights are in " + save_path;
    }
    return error(run.divergence() + kept);
  }
  summary.epochs_run = run.epochs_completed();
  summary.stopped_early = run.stopped_early();
  summary.threads = run.threads();
  const EvalResult test = run.evaluate_test();

  if (a->has("save")) {
    const auto bytes = save_safetensors(*model, {{"preset", preset->name},
                                                 {"dataset", a->get("dataset", "mnist")},
                                                 {"test_accuracy", std::to_string(test.accuracy())}});
    if (Status s = write_file(save_path, bytes); !s) return error(s.error);
  }
  print_done(out, summary, test, save_path);
  return 0;
}

}  // namespace dt::cli
