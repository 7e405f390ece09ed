// Winograd F(2x2,3x3) transforms: each SIMD version against its scalar reference at channel
// counts below, equal to, multiples of and just above the vector width, on geometries with
// padding and with odd output sizes (partial edge tiles), the SIMD one run block by block
// (blocks of 3 tiles start mid-row and mid-sample) against the reference over all tiles at
// once; and each backward transform the adjoint of its forward: <f(x), y> == <x, f_adjoint(y)>.
#include <doctest/doctest.h>

#include <algorithm>
#include <vector>

#include "kernels/simd.h"
#include "kernels/winograd.h"
#include "test_util.h"

namespace dt {
namespace {

constexpr int W = simd::kWidth;
constexpr int kP = kWinogradPoints;
constexpr long kBlock = 3;

// A 3x3 stride-1 geometry, 'same' (padding 1 on each side) or 'valid'.
ConvGeometry geometry(int H, int Wd, int C, bool same) {
  const int pad = same ? 1 : 0;
  return ConvGeometry{H, Wd, C, 3, 3, 1, pad, pad, H + 2 * pad - 2, Wd + 2 * pad - 2};
}

double dot(const std::vector<float>& a, const std::vector<float>& b) {
  double s = 0;
  for (size_t i = 0; i < a.size(); ++i) s += double(a[i]) * double(b[i]);
  return s;
}

// Floats in 16 (rows, cols) matrices, as the transforms lay them out.
size_t points(long rows, int cols) { return static_cast<size_t>(kP * winograd_point_stride(rows, cols)); }

// A block's rows [first, first + count) of 16 (T, cols) matrices, as 16 (count, cols) matrices;
// and back.
std::vector<float> block_of(const std::vector<float>& all, long T, int cols, long first, long count) {
  std::vector<float> b(points(count, cols));
  for (int k = 0; k < kP; ++k)
    std::copy_n(all.begin() + k * winograd_point_stride(T, cols) + first * cols, count * cols,
                b.begin() + k * winograd_point_stride(count, cols));
  return b;
}
void put_block(std::vector<float>& all, const std::vector<float>& b, long T, int cols, long first, long count) {
  for (int k = 0; k < kP; ++k)
    std::copy_n(b.begin() + k * winograd_point_stride(count, cols), count * cols,
                all.begin() + k * winograd_point_stride(T, cols) + first * cols);
}

const int kChannels[] = {1, W - 1, W, W + 1, 2 * W, 2 * W + 3};

struct Shape {
  int H, W;
  bool same;
};
// Even and odd outputs, 'valid' and 'same', a single tile and a single partial tile.
const Shape kShapes[] = {{4, 4, false}, {5, 5, false}, {3, 3, false}, {6, 7, true}, {5, 5, true}, {1, 2, true}, {9, 8, false}};

TEST_CASE("winograd input transform and its adjoint: simd matches reference") {
  for (const Shape& s : kShapes)
    for (int C : kChannels) {
      if (C < 1) continue;
      const ConvGeometry g = geometry(s.H, s.W, C, s.same);
      CAPTURE(s.H);
      CAPTURE(s.W);
      CAPTURE(s.same);
      CAPTURE(C);
      const int n = 2;
      const long T = winograd_tiles(g, n);
      auto x = test::random_floats(static_cast<size_t>(n) * g.H * g.W * C, 1);
      std::vector<float> v_ref(points(T, C)), v_simd(v_ref.size());
      winograd_input_transform_ref(v_ref.data(), x.data(), g, 0, T);
      for (long first = 0; first < T; first += kBlock) {
        const long count = std::min(kBlock, T - first);
        std::vector<float> b(points(count, C));
        winograd_input_transform_simd(b.data(), x.data(), g, first, count);
        put_block(v_simd, b, T, C, first, count);
      }
      CHECK(test::first_mismatch(v_simd, v_ref, 1e-6) == -1);

      auto dv = test::random_floats(v_ref.size(), 2);
      std::vector<float> dx_ref(x.size(), 0.0f), dx_simd(x.size(), 0.0f);
      winograd_input_transform_backward_ref(dx_ref.data(), dv.data(), g, 0, T);
      for (long first = 0; first < T; first += kBlock) {
        const long count = std::min(kBlock, T - first);
        winograd_input_transform_backward_simd(dx_simd.data(), block_of(dv, T, C, first, count).data(), g, first, count);
      }
      CHECK(test::first_mismatch(dx_simd, dx_ref, 1e-6) == -1);
      CHECK(dot(v_ref, dv) == doctest::Approx(dot(x, dx_ref)).epsilon(1e-5));
    }
}

TEST_CASE("winograd filter transform and its adjoint: simd matches reference") {
  for (int C : {1, 3, 32})
    for (int OC : kChannels) {
      if (OC < 1) continue;
      CAPTURE(C);
      CAPTURE(OC);
      auto w = test::random_floats(9L * C * OC, 3);
      std::vector<float> u_ref(points(C, OC)), u_simd(u_ref.size());
      winograd_filter_transform_ref(u_ref.data(), w.data(), C, OC);
      winograd_filter_transform_simd(u_simd.data(), w.data(), C, OC);
      CHECK(test::first_mismatch(u_simd, u_ref, 1e-6) == -1);

      auto du = test::random_floats(u_ref.size(), 4);
      auto dw_ref = test::random_floats(w.size(), 5), dw_simd = dw_ref, dw0 = dw_ref;  // accumulated into
      winograd_filter_transform_backward_ref(dw_ref.data(), du.data(), C, OC);
      winograd_filter_transform_backward_simd(dw_simd.data(), du.data(), C, OC);
      CHECK(test::first_mismatch(dw_simd, dw_ref, 1e-6) == -1);
      for (size_t i = 0; i < dw_ref.size(); ++i) dw_ref[i] -= dw0[i];
      CHECK(dot(u_ref, du) == doctest::Approx(dot(w, dw_ref)).epsilon(1e-5));
    }
}

TEST_CASE("winograd output transform and its adjoint: simd matches reference") {
  for (const Shape& s : kShapes)
    for (int OC : kChannels) {
      if (OC < 1) continue;
      const ConvGeometry g = geometry(s.H, s.W, 2, s.same);
      CAPTURE(s.H);
      CAPTURE(s.W);
      CAPTURE(s.same);
      CAPTURE(OC);
      const int n = 2;
      const long T = winograd_tiles(g, n);
      auto m = test::random_floats(points(T, OC), 6);
      auto bias = test::random_floats(OC, 7);
      std::vector<float> y_ref(static_cast<size_t>(n) * g.OH * g.OW * OC), y_simd(y_ref.size());
      winograd_output_transform_ref(y_ref.data(), m.data(), bias.data(), g, OC, 0, T);
      for (long first = 0; first < T; first += kBlock) {
        const long count = std::min(kBlock, T - first);
        winograd_output_transform_simd(y_simd.data(), block_of(m, T, OC, first, count).data(), bias.data(), g, OC, first,
                                       count);
      }
      CHECK(test::first_mismatch(y_simd, y_ref, 1e-6) == -1);

      auto dy = test::random_floats(y_ref.size(), 8);
      std::vector<float> dm_ref(m.size()), dm_simd(m.size());
      winograd_output_transform_backward_ref(dm_ref.data(), dy.data(), g, OC, 0, T);
      for (long first = 0; first < T; first += kBlock) {
        const long count = std::min(kBlock, T - first);
        std::vector<float> b(points(count, OC));
        winograd_output_transform_backward_simd(b.data(), dy.data(), g, OC, first, count);
        put_block(dm_simd, b, T, OC, first, count);
      }
      CHECK(test::first_mismatch(dm_simd, dm_ref, 1e-6) == -1);
      // Without the bias the output transform is linear, and its adjoint is the backward.
      std::vector<float> zero(OC, 0.0f), y0(y_ref.size());
      winograd_output_transform_ref(y0.data(), m.data(), zero.data(), g, OC, 0, T);
      CHECK(dot(y0, dy) == doctest::Approx(dot(m, dm_ref)).epsilon(1e-5));
    }
}

}  // namespace
}  // namespace dt
