// What the tests of each convolution algorithm (nn/conv/) share: running an algorithm's
// forward and backward on given data, checking all three passes against the double reference
// and im2col + GEMM, and checking its backward against finite differences of its own forward.
#pragma once
#include <algorithm>
#include <string>
#include <vector>

#include "nn/conv/conv_algorithm.h"
#include "nn/gradcheck.h"
#include "nn/ops/conv2d.h"
#include "test_util.h"

namespace dt::test {

inline std::vector<float> to_float(const std::vector<double>& v) { return std::vector<float>(v.begin(), v.end()); }

// An algorithm's forward and backward on one set of data.
struct Passes {
  std::vector<float> y, dx, grads;
};

// din starts as 9s (the backward overwrites it); grads starts as grads0 (it accumulates).
// Without want_dx or want_grads the backward gets a null pointer for it.
inline Passes run_passes(const ConvAlgorithm& a, const ConvGeometry& g, int OC, int N, const std::vector<float>& x,
                         const std::vector<float>& params, const std::vector<float>& dy,
                         const std::vector<float>& grads0, bool want_dx = true, bool want_grads = true) {
  Passes r{std::vector<float>(static_cast<size_t>(N) * g.OH * g.OW * OC), std::vector<float>(x.size(), 9.0f), grads0};
  std::vector<float> saved(std::max(1L, a.saved_floats(N))), scratch(std::max(1L, a.scratch_floats(N)));
  Pass p;
  p.n = N;
  p.training = true;
  p.in = x.data();
  p.out = r.y.data();
  p.params = params.data();
  p.saved = saved.data();
  p.scratch = scratch.data();
  a.forward(p);
  p.dout = dy.data();
  p.din = want_dx ? r.dx.data() : nullptr;
  p.grads = want_grads ? r.grads.data() : nullptr;
  a.backward(p);
  return r;
}

// The algorithm's forward, input gradient and parameter gradients (accumulated onto random
// ones) on N samples of random data, against the direct reference in double on the same
// float-representable numbers and against im2col + GEMM, all at 1e-4. Returns its passes and
// the data they ran on, for further checks.
struct ReferenceRun {
  std::vector<float> x, params, dy, grads0;
  Passes passes;
};

inline ReferenceRun check_against_reference(const ConvAlgorithm& algorithm, const ConvGeometry& g, int OC, int N) {
  const ConvAlgorithms::Entry* im2col = nullptr;
  for (const auto& e : conv_algorithms().entries())
    if (std::string(e.name) == "im2col+gemm") im2col = &e;
  REQUIRE(im2col != nullptr);
  const long nw = static_cast<long>(g.patch()) * OC;
  const auto xd = random_doubles(static_cast<size_t>(N) * g.H * g.W * g.C, 1);
  const auto pd = random_doubles(nw + OC, 2);
  const auto dyd = random_doubles(static_cast<size_t>(N) * g.OH * g.OW * OC, 3);
  ReferenceRun run{to_float(xd), to_float(pd), to_float(dyd), {}, {}};
  run.grads0 = random_floats(run.params.size(), 4);

  std::vector<double> y_ref(run.dy.size()), dx_ref(run.x.size()), dp_ref(run.params.size(), 0.0);
  conv2d_forward_ref(y_ref.data(), xd.data(), pd.data(), pd.data() + nw, g, OC, N);
  conv2d_backward_ref(dx_ref.data(), dp_ref.data(), dp_ref.data() + nw, dyd.data(), xd.data(), pd.data(), g, OC, N);
  std::vector<double> grads_ref(run.params.size());
  for (size_t i = 0; i < grads_ref.size(); ++i) grads_ref[i] = run.grads0[i] + dp_ref[i];

  run.passes = run_passes(algorithm, g, OC, N, run.x, run.params, run.dy, run.grads0);
  const Passes gemm = run_passes(*im2col->make(g, OC), g, OC, N, run.x, run.params, run.dy, run.grads0);
  auto as_double = [](const std::vector<float>& v) { return std::vector<double>(v.begin(), v.end()); };
  const Passes& a = run.passes;
  CHECK(first_mismatch(as_double(a.y), y_ref, 1e-4) == -1);
  CHECK(first_mismatch(as_double(a.dx), dx_ref, 1e-4) == -1);
  CHECK(first_mismatch(as_double(a.grads), grads_ref, 1e-4) == -1);
  CHECK(first_mismatch(a.y, gemm.y, 1e-4) == -1);
  CHECK(first_mismatch(a.dx, gemm.dx, 1e-4) == -1);
  CHECK(first_mismatch(a.grads, gemm.grads, 1e-4) == -1);
  return run;
}

// The algorithm's input and parameter gradients for the loss sum(r * y) against central
// differences of its own forward, at N samples of random input x (N * H * W * C values) and
// parameters (weights then biases). A convolution is linear in its input and weights (affine
// in the bias), so the difference is exact but for rounding at any step: a large step keeps
// float's rounding small beside it.
inline void check_conv_gradients(const std::string& name, const ConvAlgorithm& algorithm, const ConvGeometry& g, int OC,
                                 int N) {
  const long nw = static_cast<long>(g.patch()) * OC;
  auto x = random_doubles(static_cast<size_t>(N) * g.H * g.W * g.C, 5);
  auto params = random_doubles(nw + OC, 6);
  const auto r = random_doubles(static_cast<size_t>(N) * g.OH * g.OW * OC, 7);
  auto forward = [&](const std::vector<double>& xx, const std::vector<double>& pp) {
    const auto xf = to_float(xx), pf = to_float(pp);
    std::vector<float> y(r.size()), saved(std::max(1L, algorithm.saved_floats(N))),
        scratch(std::max(1L, algorithm.scratch_floats(N)));
    Pass p;
    p.n = N;
    p.in = xf.data();
    p.out = y.data();
    p.params = pf.data();
    p.saved = saved.data();
    p.scratch = scratch.data();
    algorithm.forward(p);
    return std::vector<double>(y.begin(), y.end());
  };
  const auto b = run_passes(algorithm, g, OC, N, to_float(x), to_float(params), to_float(r),
                            std::vector<float>(params.size(), 0.0f));
  const std::vector<double> dx(b.dx.begin(), b.dx.end()), dp(b.grads.begin(), b.grads.end());
  check_gradient(
      (name + " dx").c_str(), x, [&](const std::vector<double>& xx) { return forward(xx, params); }, r, dx, 0.25, 1e-4);
  check_gradient(
      (name + " dw and db").c_str(), params, [&](const std::vector<double>& pp) { return forward(x, pp); }, r, dp, 0.25, 1e-4);
}

}  // namespace dt::test
