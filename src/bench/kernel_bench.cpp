#include "bench/kernel_bench.h"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "kernels/gemm.h"
#include "kernels/gemm_int8.h"
#include "kernels/pool.h"
#include "kernels/simd.h"
#include "nn/conv/conv_algorithm.h"
#include "nn/conv/direct_conv.h"
#include "nn/conv/winograd_conv.h"
#include "nn/layer.h"
#include "nn/layers/conv2d_layer.h"
#include "nn/layers/dense_layer.h"
#include "nn/model.h"
#include "nn/ops/pool.h"
#include "nn/predict.h"
#include "quant/predict_int8.h"
#include "quant/quantized_model.h"
#include "recipe/presets.h"
#include "util/rng.h"
#include "util/stopwatch.h"

namespace dt::bench {

namespace {

constexpr int kChains = 12;  // independent FMA chains, enough to hide the FMA latency
constexpr long kPeakIters = 20000;

// One short call of the peak loop; kept out of line so that every call is a real call.
__attribute__((noinline)) float peak_chunk(float seed) {
  using simd::f32;
  f32 acc[kChains];
  for (int c = 0; c < kChains; ++c) acc[c] = simd::splat(seed * float(c + 1));
  const f32 a = simd::splat(0.999999f), b = simd::splat(1e-7f);
  for (long i = 0; i < kPeakIters; ++i)
    for (int c = 0; c < kChains; ++c) acc[c] = xsimd::fma(acc[c], a, b);
  f32 sum = acc[0];
  for (int c = 1; c < kChains; ++c) sum += acc[c];
  return xsimd::hadd(sum);
}

double peak_gflops(int calls) {
  float sink = 0;
  const double s = best_seconds(20, 10, [&] {
    for (int i = 0; i < calls; ++i) sink += peak_chunk(0.001f + sink * 1e-30f);
  });
  if (sink == 12345.0f) std::printf(" ");  // the result is used, so the loop stays
  return 2.0 * simd::kWidth * kChains * kPeakIters * calls / s / 1e9;
}

std::vector<float> random(size_t n, uint64_t seed) {
  Rng rng(seed);
  std::vector<float> v(n);
  for (auto& x : v) x = rng.uniform(-1.0f, 1.0f);
  return v;
}

struct GemmCase {
  const char* name;
  int M, N, K;
  bool a_transposed;
};

KernelResult time_gemm(const GemmCase& c, bool quick) {
  auto A = random(static_cast<size_t>(c.M) * c.K, 1), B = random(static_cast<size_t>(c.K) * c.N, 2);
  std::vector<float> C(static_cast<size_t>(c.M) * c.N);
  const int a_rs = c.a_transposed ? 1 : c.K, a_cs = c.a_transposed ? c.M : 1;
  KernelResult r{c.name, 2.0 * c.M * c.N * c.K};
  auto run = [&](auto fn) {
    return best_seconds(quick ? 3 : 20, quick ? 3 : 10,
                        [&] { fn(C.data(), c.N, A.data(), a_rs, a_cs, B.data(), c.N, c.M, c.N, c.K, false); });
  };
  r.simd_gflops = r.flops / run(gemm_f32_simd) / 1e9;
  if (!quick) r.ref_gflops = r.flops / run(gemm_f32_ref) / 1e9;
  return r;
}

// The int8 GEMM (kernels/gemm_int8.h) at a float case's shape, its integer multiply-adds
// counted as flops. Named "int8 ..." rather than "gemm ...": the summary's GEMM share of the
// float peak is about float GEMMs.
KernelResult time_gemm_s8(const GemmCase& c, bool quick) {
  Rng rng(3);
  std::vector<int16_t> A(static_cast<size_t>(c.M) * c.K);
  for (auto& a : A) a = static_cast<int16_t>(rng.below(256));  // uint8 activations, as after a ReLU
  std::vector<int8_t> Bw(static_cast<size_t>(c.K) * c.N);
  for (auto& b : Bw) b = static_cast<int8_t>(static_cast<int>(rng.below(255)) - 127);
  PackedB8 B;
  pack_b_s8(B, Bw.data(), c.N, c.K, c.N);
  std::vector<int32_t> C(static_cast<size_t>(c.M) * c.N);
  KernelResult r{std::string("int8 ") + c.name, 2.0 * c.M * c.N * c.K};
  auto run = [&](auto fn) {
    return best_seconds(quick ? 3 : 20, quick ? 3 : 10, [&] { fn(C.data(), c.N, A.data(), c.K, B, c.M); });
  };
  r.simd_gflops = r.flops / run(gemm_s8_simd) / 1e9;
  if (!quick) r.ref_gflops = r.flops / run(gemm_s8_ref) / 1e9;
  return r;
}

// keras-cnn's inference on one thread, float (nn/predict.h) against int8 (quant/), for a
// batch of 256 images and for one image at a time, as GFLOP/s of its conv2d and dense layers'
// multiply-adds (so the two rows compare as speeds). Random weights and images: the speed does
// not depend on them.
void time_inference(bool quick, std::vector<KernelResult>& out) {
  auto p = find_preset("keras-cnn");
  if (!p) return;
  auto model = Model::build(p->model);
  if (!model) return;
  model->initialize(1);
  const int batch = 256;
  const auto images = random(static_cast<size_t>(batch) * model->input_shape().size(), 10);
  std::vector<float> calib(images.begin(), images.begin() + 32 * model->input_shape().size());
  for (auto& x : calib) x = 0.5f * (x + 1.0f);  // pixels in [0, 1]
  auto q = quantize(*model, calib.data(), 32);
  if (!q) return;
  double flops_per_image = 0;
  for (const QuantLayer& ql : q->qlayers) flops_per_image += 2.0 * ql.K * ql.N * (ql.conv ? ql.g.OH * ql.g.OW : 1);
  std::vector<float> probs(static_cast<size_t>(batch) * model->classes());
  const int warm = quick ? 2 : 5, reps = quick ? 2 : 10;
  for (const int n : {batch, 1}) {
    Workspace ws(*model, n);
    QuantWorkspace qws(*q, n);
    const std::string what = n == 1 ? "one image" : "batch " + std::to_string(n);
    const double f = best_seconds(warm, reps, [&] { predict_probs(probs.data(), *model, ws, images.data(), n); });
    out.push_back({"keras-cnn inference fp32, " + what, flops_per_image * n, flops_per_image * n / f / 1e9, 0});
    const double i = best_seconds(warm, reps, [&] { predict_probs_int8(probs.data(), *q, qws, images.data(), n); });
    out.push_back({"keras-cnn inference int8, " + what, flops_per_image * n, flops_per_image * n / i / 1e9, 0});
  }
}

// The forward and backward of a layer, or of a convolution algorithm alone (both have
// saved_floats, scratch_floats, forward and backward), at batch n; the backward without the
// input gradient when `input_grad` is false, as a model's first layer runs it.
template <class Passes>
void time_passes(const std::string& name, const Passes& l, long in_size, long out_size, long n_params, int n,
                 double fwd_flops, bool quick, std::vector<KernelResult>& out, bool input_grad = true) {
  auto x = random(static_cast<size_t>(n) * in_size, 3), params = random(std::max(1L, n_params), 4);
  auto dy = random(static_cast<size_t>(n) * out_size, 5);
  std::vector<float> y(static_cast<size_t>(n) * out_size), dx(x.size()), grads(params.size());
  std::vector<float> saved(std::max(1L, l.saved_floats(n))), scratch(std::max(1L, l.scratch_floats(n)));
  Pass p;
  p.n = n;
  p.in = x.data();
  p.out = y.data();
  p.params = params.data();
  p.saved = saved.data();
  p.scratch = scratch.data();
  p.training = true;
  p.dout = dy.data();
  p.din = input_grad ? dx.data() : nullptr;
  p.grads = grads.data();
  const int warm = quick ? 3 : 20, reps = quick ? 3 : 10;
  const double f = best_seconds(warm, reps, [&] { l.forward(p); });
  out.push_back({name + " forward", fwd_flops, fwd_flops / f / 1e9, 0});
  const double bwd_flops = (input_grad ? 2 : 1) * fwd_flops;
  const double b = best_seconds(warm, reps, [&] { l.backward(p); });
  out.push_back({name + (input_grad ? " backward" : " backward (no dX)"), bwd_flops, bwd_flops / b / 1e9, 0});
}

// A layer's forward and backward as the engine runs them, at batch n.
void time_layer(const char* name, const LayerSpec& spec, Shape3 in, int n, double fwd_flops, bool quick,
                std::vector<KernelResult>& out) {
  auto layer = spec.build(in);
  long n_params = 0;
  for (const auto& p : (*layer)->params()) n_params += p.size();
  time_passes(name, **layer, in.size(), (*layer)->out_shape().size(), n_params, n, fwd_flops, quick, out);
}

// keras-cnn's conv2 (13x13x32 -> 11x11x64, 3x3 valid) by every convolution algorithm that can
// compute it (all but the one-channel direct convolution), whichever the layer chooses in this build: what the
// choice is worth here. The flops are the direct convolution's, so that the rows compare as
// speeds (Winograd's fewer multiplies can put it past the peak).
void time_conv_algorithms(int n, bool quick, std::vector<KernelResult>& out) {
  auto g = Conv2dParams{64, 3}.geometry({13, 13, 32});
  if (!g) return;
  const double flops = 2.0 * n * g->OH * g->OW * 64 * g->patch();
  for (const ConvAlgorithms::Entry& e : conv_algorithms().entries())
    if (!(std::string(e.name) == "direct" && !direct_conv_applies(*g)))
      time_passes(std::string("conv2d 13x13x32->64 ") + e.name, *e.make(*g, 64), 13L * 13 * 32,
                  static_cast<long>(g->OH) * g->OW * 64, static_cast<long>(g->patch()) * 64 + 64, n, flops, quick, out);
}

// The presets' first layers (one input channel: keras-cnn and fast 28x28x1 -> 32 3x3 'valid',
// torch-lenet 5x5 'same') by each algorithm that can compute them, the backward without the
// input gradient as a first layer runs it; flops as the direct convolution's.
void time_first_conv_algorithms(int n, bool quick, std::vector<KernelResult>& out) {
  for (const bool lenet : {false, true}) {
    const int k = lenet ? 5 : 3;
    auto g = Conv2dParams{32, k, 1, lenet}.geometry({28, 28, 1});
    if (!g) return;
    const double flops = 2.0 * n * g->OH * g->OW * 32 * g->patch();
    const std::string shape = lenet ? "conv2d 28x28x1->32 5x5 same " : "conv2d 28x28x1->32 ";
    for (const ConvAlgorithms::Entry& e : conv_algorithms().entries()) {
      const std::string name = e.name;
      if ((name == "winograd" && !winograd_conv_applies(*g)) || (name == "direct" && !direct_conv_applies(*g))) continue;
      time_passes(shape + name, *e.make(*g, 32), 28L * 28, static_cast<long>(g->OH) * g->OW * 32,
                  static_cast<long>(g->patch()) * 32 + 32, n, flops, quick, out, /*input_grad=*/false);
    }
  }
}

}  // namespace

LayerProfile profile_preset(const std::string& preset, int samples, bool quick) {
  LayerProfile prof;
  prof.preset = preset;
  prof.samples = samples;
  auto p = find_preset(preset);
  if (!p) return prof;
  auto model = Model::build(p->model);
  if (!model) return prof;
  model->initialize(1);
  Workspace ws(*model, samples);
  const auto images = random(static_cast<size_t>(samples) * model->input_shape().size(), 8);
  std::copy(images.begin(), images.end(), ws.input());
  const auto dy = random(static_cast<size_t>(samples) * model->classes(), 9);
  std::vector<float> grads(model->num_params());
  const int L = model->num_layers();
  prof.layers.resize(L);
  for (int i = 0; i < L; ++i) {
    prof.layers[i].layer = describe(p->model.layers[i]);
    prof.layers[i].forward_us = prof.layers[i].backward_us = 1e30;
  }
  // Rounds of a whole forward and backward, as training runs them (each layer finds the
  // caches as the layers before it left them); each layer keeps its best round.
  const int rounds = quick ? 3 : 30;
  for (int round = 0; round < rounds + 3; ++round) {
    for (int i = 0; i < L; ++i) {
      Stopwatch t;
      ws.forward_layer(*model, i, samples, /*training=*/true, 1);
      const double us = t.seconds() * 1e6;
      if (round >= 3) prof.layers[i].forward_us = std::min(prof.layers[i].forward_us, us);
    }
    std::copy(dy.begin(), dy.end(), ws.output_grad());
    for (int i = L - 1; i >= 0; --i) {
      Stopwatch t;
      ws.backward_layer(*model, i, samples, grads.data());
      const double us = t.seconds() * 1e6;
      if (round >= 3) prof.layers[i].backward_us = std::min(prof.layers[i].backward_us, us);
    }
  }
  return prof;
}

KernelReport run_kernel_bench(bool quick) {
  KernelReport r;
  r.simd_width = simd::kWidth;
  r.peak_gflops = peak_gflops(quick ? 20 : 100);

  // keras-cnn at batch 32: conv2 sees 13x13x32 -> 11x11x64 (3872 output pixels, patch 288).
  const GemmCase cases[] = {
      {"gemm conv2 forward (3872x64x288)", 3872, 64, 288, false},
      {"gemm conv2 dW (288x64x3872)", 288, 64, 3872, true},
      {"gemm conv2 dX (3872x288x64)", 3872, 288, 64, false},
      {"gemm dense1 forward (32x64x576)", 32, 64, 576, false},
  };
  // A throwaway round first: in a browser the GEMM must be running optimised code before the
  // first case is timed.
  for (const GemmCase& c : cases) time_gemm(c, /*quick=*/true);
  for (const GemmCase& c : cases) r.kernels.push_back(time_gemm(c, quick));
  // int8 inference: its GEMM at conv2's forward shape, and a whole model's forward.
  time_gemm_s8(cases[0], /*quick=*/true);
  r.kernels.push_back(time_gemm_s8(cases[0], quick));
  time_inference(quick, r.kernels);

  const int n = 32;
  time_layer("conv2d 13x13x32 -> 11x11x64", Conv2dParams{64, 3}, {13, 13, 32}, n, 2.0 * n * 121 * 64 * 288, quick, r.kernels);
  time_conv_algorithms(n, quick, r.kernels);
  time_first_conv_algorithms(16, quick, r.kernels);  // one thread's shard, as the profile below
  time_layer("dense 576 -> 64", DenseParams{64}, {1, 1, 576}, n, 2.0 * n * 576 * 64, quick, r.kernels);

  // Max pooling 26x26x32 -> 13x13x32: one comparison per window element counts as one op,
  // forward and backward alike (the backward compares each input with its window's maximum).
  const PoolGeometry g{26, 26, 32, 2, 2, 13, 13};
  auto x = random(static_cast<size_t>(n) * 26 * 26 * 32, 6);
  std::vector<float> y(static_cast<size_t>(n) * 13 * 13 * 32), dy = random(y.size(), 7), dx(x.size());
  std::vector<int32_t> arg(y.size());
  const double window_ops = double(n) * 13 * 13 * 32 * 4;
  KernelResult pool{"maxpool 26x26x32 forward", window_ops};
  pool.simd_gflops = pool.flops / best_seconds(quick ? 3 : 20, quick ? 3 : 10, [&] { maxpool_forward_simd(y.data(), x.data(), g, n); }) / 1e9;
  if (!quick)
    pool.ref_gflops = pool.flops / best_seconds(3, 5, [&] { maxpool_forward_ref(y.data(), arg.data(), x.data(), g, n); }) / 1e9;
  r.kernels.push_back(pool);
  KernelResult pool_back{"maxpool 26x26x32 backward", window_ops};
  pool_back.simd_gflops = pool_back.flops / best_seconds(quick ? 3 : 20, quick ? 3 : 10, [&] {
                            maxpool_backward_simd(dx.data(), dy.data(), x.data(), y.data(), g, n);
                          }) / 1e9;
  if (!quick)
    pool_back.ref_gflops = pool_back.flops / best_seconds(3, 5, [&] { maxpool_backward_ref(dx.data(), dy.data(), arg.data(), g, n); }) / 1e9;
  r.kernels.push_back(pool_back);

  // Where a step's time goes: keras-cnn (the throughput benchmark) and fast (time to 99%),
  // for the 16-sample shard each thread trains at batch 32 on two threads.
  for (const char* preset : {"keras-cnn", "fast"}) r.profiles.push_back(profile_preset(preset, 16, quick));
  return r;
}

std::string to_json(const KernelReport& report) {
  nlohmann::json j;
  j["simd_width"] = report.simd_width;
  j["peak_gflops"] = report.peak_gflops;
  j["kernels"] = nlohmann::json::array();
  for (const auto& k : report.kernels)
    j["kernels"].push_back({{"name", k.name},
                            {"simd_gflops", k.simd_gflops},
                            {"ref_gflops", k.ref_gflops},
                            {"fraction_of_peak", k.simd_gflops / report.peak_gflops}});
  j["profiles"] = nlohmann::json::array();
  for (const auto& prof : report.profiles) {
    nlohmann::json layers = nlohmann::json::array();
    for (const auto& l : prof.layers)
      layers.push_back({{"layer", l.layer}, {"forward_us", l.forward_us}, {"backward_us", l.backward_us}});
    j["profiles"].push_back({{"preset", prof.preset}, {"samples", prof.samples}, {"layers", layers}});
  }
  return j.dump();
}

}  // namespace dt::bench
