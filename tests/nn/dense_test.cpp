// dense: reference backward against finite differences; the SIMD layer against the reference.
#include <doctest/doctest.h>

#include <array>

#include "nn/gradcheck.h"
#include "nn/layer.h"
#include "nn/ops/dense.h"
#include "nn/layer_run.h"
#include "test_util.h"
#include "nn/layers/dense_layer.h"

namespace dt {
namespace {

TEST_CASE("dense reference backward matches finite differences") {
  const int N = 3, IN = 7, OUT = 5;
  auto x = test::random_doubles(N * IN, 1);
  auto w = test::random_doubles(IN * OUT, 2);
  auto b = test::random_doubles(OUT, 3);
  auto r = test::random_doubles(N * OUT, 4);
  std::vector<double> dx(x.size()), dw(w.size(), 0.0), db(b.size(), 0.0);
  dense_backward_ref(dx.data(), dw.data(), db.data(), r.data(), x.data(), w.data(), N, IN, OUT);
  auto run = [&](const std::vector<double>& xx, const std::vector<double>& ww, const std::vector<double>& bb) {
    std::vector<double> out(N * OUT);
    dense_forward_ref(out.data(), xx.data(), ww.data(), bb.data(), N, IN, OUT);
    return out;
  };
  test::check_gradient("dense dx", x, [&](const std::vector<double>& v) { return run(v, w, b); }, r, dx);
  test::check_gradient("dense dw", w, [&](const std::vector<double>& v) { return run(x, v, b); }, r, dw);
  test::check_gradient("dense db", b, [&](const std::vector<double>& v) { return run(x, w, v); }, r, db);
}

// Both backward paths: {1,1,1} and {64,8,8} transpose the weights, the others the batch.
TEST_CASE("dense layer (simd gemm) matches the reference") {
  for (const auto& shape : std::vector<std::array<int, 3>>{{1, 1, 1}, {64, 8, 8}, {3, 17, 10}, {16, 576, 64}, {5, 33, 31}}) {
    const int N = shape[0], IN = shape[1], OUT = shape[2];
    auto layer = DenseParams{OUT}.build({1, 1, IN});
    REQUIRE(layer.ok());
    auto x = test::random_floats(static_cast<size_t>(N) * IN, 1);
    auto params = test::random_floats(static_cast<size_t>(IN) * OUT + OUT, 2);
    test::LayerRun run(**layer, N, x.data(), params.data());
    Pass& p = run.pass;
    const std::vector<float>& y = run.out;
    std::vector<float> y_ref(y.size());
    (*layer)->forward(p);
    dense_forward_ref(y_ref.data(), x.data(), params.data(), params.data() + IN * OUT, N, IN, OUT);
    INFO("N=" << N << " IN=" << IN << " OUT=" << OUT);
    CHECK(test::first_mismatch(y, y_ref, 1e-5) == -1);
    auto dy = test::random_floats(y.size(), 3);
    std::vector<float> dx(x.size()), dx_ref(x.size()), g(params.size(), 0.0f), g_ref(params.size(), 0.0f);
    p.dout = dy.data();
    p.din = dx.data();
    p.grads = g.data();
    (*layer)->backward(p);
    dense_backward_ref(dx_ref.data(), g_ref.data(), g_ref.data() + IN * OUT, dy.data(), x.data(), params.data(), N, IN,
                       OUT);
    CHECK(test::first_mismatch(dx, dx_ref, 1e-5) == -1);
    CHECK(test::first_mismatch(g, g_ref, 1e-5) == -1);
  }
}

}  // namespace
}  // namespace dt
