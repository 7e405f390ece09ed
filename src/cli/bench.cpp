// `digitrain bench`: how fast this machine runs our kernels and our training step.
//   - peak: a register-resident multiply-add loop, the ceiling for any kernel here;
//   - GEMM (SIMD and reference) at the shapes keras-cnn's layers produce at batch 32;
//   - training samples/s of keras-cnn at batch 32 and 128, 1 thread and all threads,
//     on random images (speed does not depend on the pixels).
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <vector>

#include "cli/args.h"
#include "cli/commands.h"
#include "kernels/gemm.h"
#include "kernels/simd.h"
#include "train/presets.h"

namespace dt::cli {

namespace {

using Clock = std::chrono::steady_clock;

// Best time of `reps` runs of fn, after one warm-up run.
template <class F>
double best_seconds(int reps, F&& fn) {
  fn();
  double best = 1e30;
  for (int r = 0; r < reps; ++r) {
    const auto t0 = Clock::now();
    fn();
    best = std::min(best, std::chrono::duration<double>(Clock::now() - t0).count());
  }
  return best;
}

double peak_gflops() {
  using simd::f32;
  constexpr int kChains = 12;  // independent FMA chains hide the FMA latency
  const long iters = 2'000'000;
  float out = 0;
  const double s = best_seconds(3, [&] {
    f32 acc[kChains];
    for (int c = 0; c < kChains; ++c) acc[c] = simd::splat(0.001f * c);
    const f32 a = simd::splat(0.999999f), b = simd::splat(1e-7f);
    for (long i = 0; i < iters; ++i)
      for (int c = 0; c < kChains; ++c) acc[c] = xsimd::fma(acc[c], a, b);
    f32 sum = acc[0];
    for (int c = 1; c < kChains; ++c) sum += acc[c];
    out += xsimd::hadd(sum);
  });
  if (out == 12345.0f) std::printf(" ");  // keep the loop alive
  return 2.0 * simd::kWidth * kChains * iters / s / 1e9;
}

struct GemmCase {
  const char* name;
  int M, N, K;
  bool a_transposed;
};

double gemm_gflops(const GemmCase& c, bool use_simd) {
  std::vector<float> A(static_cast<size_t>(c.M) * c.K, 0.5f), B(static_cast<size_t>(c.K) * c.N, 0.25f),
      C(static_cast<size_t>(c.M) * c.N);
  const int a_rs = c.a_transposed ? 1 : c.K, a_cs = c.a_transposed ? c.M : 1;
  auto fn = use_simd ? gemm_f32_simd : gemm_f32_ref;
  const double s = best_seconds(5, [&] { fn(C.data(), c.N, A.data(), a_rs, a_cs, B.data(), c.N, c.M, c.N, c.K, false); });
  return 2.0 * c.M * c.N * c.K / s / 1e9;
}

double train_samples_per_second(int batch, int threads, int steps) {
  const Preset p = *find_preset("keras-cnn");
  Dataset d;
  d.count = batch * steps;
  d.height = d.width = 28;
  d.images.resize(static_cast<size_t>(d.count) * 784);
  d.labels.resize(d.count);
  Rng rng(7);
  for (auto& px : d.images) px = static_cast<uint8_t>(rng.below(256));
  for (auto& l : d.labels) l = static_cast<uint8_t>(rng.below(10));
  auto model = Model::build(p.model);
  model->initialize(1);
  TrainConfig cfg = p.train;
  cfg.batch = batch;
  cfg.threads = threads;
  cfg.epochs = 1;
  Trainer trainer(*model, d, cfg);
  for (int i = 0; i < 3; ++i) trainer.step();  // warm-up
  const auto t0 = Clock::now();
  int done = 0;
  while (!trainer.finished()) {
    trainer.step();
    ++done;
  }
  return double(done) * batch / std::chrono::duration<double>(Clock::now() - t0).count();
}

}  // namespace

int cmd_bench(const std::vector<std::string>& argv) {
  auto a = Args::parse(argv, {{}, {"json", "quick"}}, "bench");
  if (!a) {
    std::fprintf(stderr, "digitrain: %s\n", a.error().c_str());
    return 2;
  }
  const bool quick = a->has("quick");
  const bool json = a->has("json");
  nlohmann::json out;
  const double peak = peak_gflops();
  out["simd_width"] = simd::kWidth;
  out["peak_gflops"] = peak;
  if (!json) std::printf("vector width %d floats, peak multiply-add %.1f GFLOP/s (one core)\n\n", simd::kWidth, peak);

  const GemmCase cases[] = {
      {"conv2 forward   (3872x64x288)", 3872, 64, 288, false},
      {"conv2 dW        (288x64x3872)", 288, 64, 3872, true},
      {"conv2 dX        (3872x288x64)", 3872, 288, 64, false},
      {"dense1 forward  (32x64x576)", 32, 64, 576, false},
  };
  out["gemm"] = nlohmann::json::array();
  if (!json) std::printf("%-32s %10s %10s %8s\n", "GEMM (one core)", "simd", "ref", "of peak");
  for (const GemmCase& c : cases) {
    const double s = gemm_gflops(c, true), r = quick ? 0.0 : gemm_gflops(c, false);
    out["gemm"].push_back({{"name", c.name}, {"simd_gflops", s}, {"ref_gflops", r}, {"fraction_of_peak", s / peak}});
    if (!json) std::printf("%-32s %10.1f %10.1f %7.0f%%\n", c.name, s, r, 100 * s / peak);
  }

  const int hw = ThreadPool::hardware_threads();
  out["training"] = nlohmann::json::array();
  if (!json) std::printf("\n%-32s %10s\n", "keras-cnn training", "samples/s");
  for (int batch : {32, 128}) {
    for (int threads : {1, hw}) {
      if (threads == 1 && hw == 1 && batch == 128) continue;
      const double sps = train_samples_per_second(batch, threads, quick ? 6 : 40);
      out["training"].push_back({{"batch", batch}, {"threads", threads}, {"samples_per_second", sps}});
      if (!json) std::printf("batch %-4d threads %-2d %17s %10.0f\n", batch, threads, "", sps);
      if (hw == 1) break;
    }
  }
  if (json) std::printf("%s\n", out.dump().c_str());
  return 0;
}

}  // namespace dt::cli
