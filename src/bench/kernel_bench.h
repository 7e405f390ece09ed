// Kernel speed on this machine, in the spirit of a `dev/` folder: the same measurements run
// natively (`digitrain bench`) and in the browser (the wasm module built from
// kernel_bench_wasm.cpp), so each build's kernels are compared with its own peak.
//
//   - peak: a register-resident multiply-add loop, the ceiling for any kernel here;
//   - GEMM (SIMD and reference) at the shapes keras-cnn's layers produce at batch 32;
//   - the conv2d and dense layers' forward and backward, and max pooling, as the engine runs
//     them (im2col, transposes and bias included); conv2d also by each convolution algorithm;
//   - a profile: each layer's forward and backward time in a preset's model, for one shard of
//     a batch, which shows where a training step's time goes.
//
// Timing: best of several repetitions after warm-up calls. The warm-up matters in a browser:
// V8 compiles wasm with a baseline compiler first and swaps in optimised code only for later
// calls, so the peak loop is many short calls rather than one long one.
#pragma once
#include <string>
#include <vector>

namespace dt::bench {

struct KernelResult {
  std::string name;
  double flops = 0;         // per call
  double simd_gflops = 0;   // engine path
  double ref_gflops = 0;    // scalar reference (0 when not measured)
};

struct LayerTime {
  std::string layer;  // as `describe` writes it, e.g. "conv2d 32 3x3 valid"
  double forward_us = 0, backward_us = 0;
};

struct LayerProfile {
  std::string preset;
  int samples = 0;  // per call: one thread's shard
  std::vector<LayerTime> layers;
};

struct KernelReport {
  int simd_width = 0;       // floats per vector
  double peak_gflops = 0;   // one core
  std::vector<KernelResult> kernels;
  std::vector<LayerProfile> profiles;
};

// quick: fewer repetitions and no reference timings (for smoke tests).
KernelReport run_kernel_bench(bool quick);

// Each layer's forward and backward in `preset`'s model on one thread, for `samples` samples
// (random images: speed does not depend on the pixels); the best of several rounds.
LayerProfile profile_preset(const std::string& preset, int samples, bool quick);

std::string to_json(const KernelReport& report);

}  // namespace dt::bench
