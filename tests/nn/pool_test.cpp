// Max and average pooling: backward against finite differences, odd sizes (floor windows).
#include <doctest/doctest.h>

#include "nn/gradcheck.h"
#include "nn/layer.h"
#include "nn/ops/pool.h"
#include "test_util.h"
#include "nn/layers/pool_layers.h"

namespace dt {
namespace {

PoolGeometry geometry(int H, int W, int C, int size, int stride) {
  return {H, W, C, size, stride, (H - size) / stride + 1, (W - size) / stride + 1};
}

TEST_CASE("maxpool backward matches finite differences") {
  for (auto g : {geometry(5, 5, 3, 2, 2), geometry(6, 7, 2, 3, 2), geometry(4, 4, 1, 2, 1)}) {
    const int N = 2;
    // Distinct values, so no ties sit within h of each other.
    auto x = test::random_doubles(static_cast<size_t>(N) * g.H * g.W * g.C, 1);
    for (size_t i = 0; i < x.size(); ++i) x[i] += 0.01 * double(i % 97);
    const size_t out_n = static_cast<size_t>(N) * g.OH * g.OW * g.C;
    auto r = test::random_doubles(out_n, 2);
    std::vector<double> y(out_n), dx(x.size());
    std::vector<int32_t> arg(out_n);
    maxpool_forward_ref(y.data(), arg.data(), x.data(), g, N);
    maxpool_backward_ref(dx.data(), r.data(), arg.data(), g, N);
    auto fwd = [&](const std::vector<double>& xx) {
      std::vector<double> out(out_n);
      std::vector<int32_t> a(out_n);
      maxpool_forward_ref(out.data(), a.data(), xx.data(), g, N);
      return out;
    };
    test::check_gradient("maxpool dx", x, fwd, r, dx, 1e-7);
  }
}

TEST_CASE("maxpool picks the maximum of each window") {
  // One 3x3 channel, window 2 stride 2 -> a single output (floor), from the top-left 2x2.
  std::vector<float> x = {1, 5, 9, 3, 2, 9, 9, 9, 9}, y(1);
  std::vector<int32_t> arg(1);
  maxpool_forward_ref(y.data(), arg.data(), x.data(), geometry(3, 3, 1, 2, 2), 1);
  CHECK(y[0] == 5.0f);
  CHECK(arg[0] == 1);
}

TEST_CASE("avgpool backward matches finite differences") {
  for (auto g : {geometry(5, 5, 3, 2, 2), geometry(6, 7, 2, 3, 1)}) {
    const int N = 2;
    auto x = test::random_doubles(static_cast<size_t>(N) * g.H * g.W * g.C, 3);
    const size_t out_n = static_cast<size_t>(N) * g.OH * g.OW * g.C;
    auto r = test::random_doubles(out_n, 4);
    std::vector<double> dx(x.size());
    avgpool_backward_ref(dx.data(), r.data(), g, N);
    auto fwd = [&](const std::vector<double>& xx) {
      std::vector<double> out(out_n);
      avgpool_forward_ref(out.data(), xx.data(), g, N);
      return out;
    };
    test::check_gradient("avgpool dx", x, fwd, r, dx);
  }
}

TEST_CASE("pool layers: shapes and errors") {
  auto l = MaxPoolParams(2).build({11, 11, 64});
  REQUIRE(l.ok());
  CHECK((*l)->out_shape().h == 5);  // floor, as Keras
  auto bad = MaxPoolParams(4, 2).build({3, 3, 1});
  CHECK_FALSE(bad.ok());
}

}  // namespace
}  // namespace dt
