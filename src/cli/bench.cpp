// `digitrain bench`: how fast this machine runs our kernels (src/bench/kernel_bench.h: peak,
// GEMMs, layers, pooling, and a per-layer profile of two presets) and our training step
// (src/bench/training_bench.h): keras-cnn samples/s at batch 32 and 128, 1 thread and all, and
// every preset's at its own batch on all threads. --training-only skips the kernels.
#include <cstdio>
#include <nlohmann/json.hpp>
#include <vector>

#include "cli/args.h"
#include "cli/commands.h"
#include "bench/kernel_bench.h"
#include "bench/training_bench.h"
#include "recipe/presets.h"
#include "util/thread_pool.h"

namespace dt::cli {

int cmd_bench(const std::vector<std::string>& argv) {
  auto a = Args::parse(argv, {{}, {"json", "quick", "training-only"}}, "bench");
  if (!a) {
    std::fprintf(stderr, "digitrain: %s\n", a.error().c_str());
    return 2;
  }
  const bool quick = a->has("quick");
  const bool json = a->has("json");
  const bool training_only = a->has("training-only");
  const bench::KernelReport kernels = training_only ? bench::KernelReport{} : bench::run_kernel_bench(quick);
  nlohmann::json out = nlohmann::json::parse(bench::to_json(kernels));
  if (!json && !training_only) {
    std::printf("vector width %d floats, peak multiply-add %.1f GFLOP/s (one core)\n\n", kernels.simd_width,
                kernels.peak_gflops);
    std::printf("%-40s %10s %10s %8s\n", "kernel (one core)", "GFLOP/s", "ref", "of peak");
    for (const auto& k : kernels.kernels)
      std::printf("%-40s %10.1f %10.1f %7.0f%%\n", k.name.c_str(), k.simd_gflops, k.ref_gflops,
                  100 * k.simd_gflops / kernels.peak_gflops);
  }

  if (!json)
    for (const auto& prof : kernels.profiles) {
      double total = 0;
      for (const auto& l : prof.layers) total += l.forward_us + l.backward_us;
      std::printf("\n%-40s %10s %10s %8s\n", (prof.preset + ", " + std::to_string(prof.samples) + " samples, us").c_str(),
                  "forward", "backward", "share");
      for (const auto& l : prof.layers)
        std::printf("%-40s %10.1f %10.1f %7.1f%%\n", l.layer.c_str(), l.forward_us, l.backward_us,
                    100 * (l.forward_us + l.backward_us) / total);
      std::printf("%-40s %21.1f\n", "total", total);
    }

  const int hw = ThreadPool::hardware_threads();
  const double seconds = quick ? 0.05 : 1.0;
  out["training"] = nlohmann::json::array();
  if (!json) std::printf("\n%-32s %10s\n", "keras-cnn training", "samples/s");
  for (int batch : {32, 128}) {
    for (int threads : {1, hw}) {
      if (threads == 1 && hw == 1 && batch == 128) continue;
      const double sps = bench::train_samples_per_second("keras-cnn", batch, threads, seconds);
      out["training"].push_back({{"batch", batch}, {"threads", threads}, {"samples_per_second", sps}});
      if (!json) std::printf("batch %-4d threads %-2d %17s %10.0f\n", batch, threads, "", sps);
      if (hw == 1) break;
    }
  }
  // Every preset with its own recipe and batch size, on every core: a slow layer shape of one
  // preset cannot hide behind keras-cnn's.
  out["presets"] = nlohmann::json::array();
  if (!json) std::printf("\n%-32s %10s\n", "each preset, all threads", "samples/s");
  for (const Preset& p : presets()) {
    const double sps = bench::train_samples_per_second(p.name, p.train.batch, hw, seconds);
    out["presets"].push_back({{"preset", p.name}, {"batch", p.train.batch}, {"threads", hw}, {"samples_per_second", sps}});
    if (!json) std::printf("%-20s batch %-4d %10.0f\n", p.name.c_str(), p.train.batch, sps);
  }
  if (training_only) {
    // Just the training rows: the benchmark's later rounds.
    out.erase("kernels");
    out.erase("profiles");
  }
  if (json) std::printf("%s\n", out.dump().c_str());
  return 0;
}

}  // namespace dt::cli
