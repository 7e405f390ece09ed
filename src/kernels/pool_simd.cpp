#include <cstddef>

#include "kernels/pool.h"
#include "kernels/simd.h"

namespace dt {

using simd::f32;
constexpr int W = simd::kWidth;

void maxpool_forward_simd(float* out, int32_t* argmax, const float* inp, const PoolGeometry& g, int N) {
  // Indices travel as floats (exact below 2^24; one sample of an MNIST-sized net is far below).
  alignas(64) float lane_init[W];
  for (int l = 0; l < W; ++l) lane_init[l] = float(l);
  const f32 lane = simd::load(lane_init);
  const int full = g.C / W * W;
  const long in_size = static_cast<long>(g.H) * g.W * g.C;
  for (int n = 0; n < N; ++n) {
    const float* x = inp + n * in_size;
    for (int oy = 0; oy < g.OH; ++oy)
      for (int ox = 0; ox < g.OW; ++ox) {
        const long o = ((static_cast<long>(n) * g.OH + oy) * g.OW + ox) * g.C;
        const int first = ((oy * g.stride) * g.W + ox * g.stride) * g.C;
        int c = 0;
        for (; c < full; c += W) {
          f32 best = simd::load(x + first + c);
          f32 best_idx = simd::splat(float(first + c)) + lane;
          for (int ky = 0; ky < g.size; ++ky)
            for (int kx = 0; kx < g.size; ++kx) {
              const int idx = ((oy * g.stride + ky) * g.W + ox * g.stride + kx) * g.C + c;
              const f32 v = simd::load(x + idx);
              const auto better = v > best;
              best = xsimd::select(better, v, best);
              best_idx = xsimd::select(better, simd::splat(float(idx)) + lane, best_idx);
            }
          simd::store(out + o + c, best);
          alignas(64) float idx_out[W];
          simd::store(idx_out, best_idx);
          for (int l = 0; l < W; ++l) argmax[o + c + l] = static_cast<int32_t>(idx_out[l]);
        }
        for (; c < g.C; ++c) {  // channels left over after full vectors
          int best = first + c;
          for (int ky = 0; ky < g.size; ++ky)
            for (int kx = 0; kx < g.size; ++kx) {
              const int idx = ((oy * g.stride + ky) * g.W + ox * g.stride + kx) * g.C + c;
              if (x[idx] > x[best]) best = idx;
            }
          out[o + c] = x[best];
          argmax[o + c] = best;
        }
      }
  }
}

}  // namespace dt
