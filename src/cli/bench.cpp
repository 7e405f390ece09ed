// `digitrain bench`: how fast this machine runs our kernels (src/bench/kernel_bench.h: peak,
// GEMMs, layers, pooling, and a per-layer profile of two presets) and our training step
// (src/bench/training_bench.h): keras-cnn samples/s at batch 32 and 128, 1 thread and all.
#include <cstdio>
#include <nlohmann/json.hpp>
#include <vector>

#include "cli/args.h"
#include "cli/commands.h"
#include "bench/kernel_bench.h"
#include "bench/training_bench.h"
#include "util/thread_pool.h"

namespace dt::cli {

int cmd_bench(const std::vector<std::string>& argv) {
  auto a = Args::parse(argv, {{}, {"json", "quick"}}, "bench");
  if (!a) {
    std::fprintf(stderr, "digitrain: %s\n", a.error().c_str());
    return 2;
  }
  const bool quick = a->has("quick");
  const bool json = a->has("json");
  const bench::KernelReport kernels = bench::run_kernel_bench(quick);
  nlohmann::json out = nlohmann::json::parse(bench::to_json(kernels));
  if (!json) {
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
  out["training"] = nlohmann::json::array();
  if (!json) std::printf("\n%-32s %10s\n", "keras-cnn training", "samples/s");
  for (int batch : {32, 128}) {
    for (int threads : {1, hw}) {
      if (threads == 1 && hw == 1 && batch == 128) continue;
      const double sps = bench::train_samples_per_second(batch, threads, quick ? 6 : 40);
      out["training"].push_back({{"batch", batch}, {"threads", threads}, {"samples_per_second", sps}});
      if (!json) std::printf("batch %-4d threads %-2d %17s %10.0f\n", batch, threads, "", sps);
      if (hw == 1) break;
    }
  }
  if (json) std::printf("%s\n", out.dump().c_str());
  return 0;
}

}  // namespace dt::cli
