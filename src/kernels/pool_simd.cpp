#include <algorithm>
#include <cstring>

#include "kernels/pool.h"
#include "kernels/simd.h"

namespace dt {

using simd::f32;
constexpr int W = simd::kWidth;

namespace {
long at(const PoolGeometry& g, int y, int x) { return (static_cast<long>(y) * g.W + x) * g.C; }
}  // namespace

void maxpool_forward_simd(float* out, const float* inp, const PoolGeometry& g, int N) {
  const int full = g.C / W * W;
  const long in_size = static_cast<long>(g.H) * g.W * g.C;
  for (int n = 0; n < N; ++n) {
    const float* x = inp + n * in_size;
    for (int oy = 0; oy < g.OH; ++oy)
      for (int ox = 0; ox < g.OW; ++ox) {
        float* o = out + ((static_cast<long>(n) * g.OH + oy) * g.OW + ox) * g.C;
        const float* first = x + at(g, oy * g.stride, ox * g.stride);
        int c = 0;
        for (; c < full; c += W) {
          f32 best = simd::load(first + c);
          for (int ky = 0; ky < g.size; ++ky)
            for (int kx = 0; kx < g.size; ++kx) best = simd::max(best, simd::load(first + at(g, ky, kx) + c));
          simd::store(o + c, best);
        }
        for (; c < g.C; ++c) {  // channels left over after full vectors
          float best = first[c];
          for (int ky = 0; ky < g.size; ++ky)
            for (int kx = 0; kx < g.size; ++kx) best = std::max(best, first[at(g, ky, kx) + c]);
          o[c] = best;
        }
      }
  }
}

void maxpool_backward_simd(float* dinp, const float* dout, const float* inp, const float* out, const PoolGeometry& g,
                           int N) {
  const int full = g.C / W * W;
  const long in_size = static_cast<long>(g.H) * g.W * g.C;
  // Windows that tile the input (stride == size) write each of their positions once, and only
  // the last rows and columns that no window covers are zeroed. Overlapping windows add up and
  // strided ones leave gaps, so those start from an all-zero gradient.
  const bool tiles = g.stride == g.size;
  if (!tiles) std::memset(dinp, 0, sizeof(float) * static_cast<size_t>(N) * in_size);
  for (int n = 0; n < N; ++n) {
    const float* x = inp + n * in_size;
    float* dx = dinp + n * in_size;
    if (tiles) {
      const int covered_h = g.OH * g.size, covered_w = g.OW * g.size;
      for (int y = 0; y < g.H; ++y)
        if (y >= covered_h)
          std::memset(dx + at(g, y, 0), 0, sizeof(float) * g.W * g.C);
        else if (covered_w < g.W)
          std::memset(dx + at(g, y, covered_w), 0, sizeof(float) * (g.W - covered_w) * g.C);
    }
    for (int oy = 0; oy < g.OH; ++oy)
      for (int ox = 0; ox < g.OW; ++ox) {
        const long o = ((static_cast<long>(n) * g.OH + oy) * g.OW + ox) * g.C;
        const long first = at(g, oy * g.stride, ox * g.stride);
        int c = 0;
        for (; c < full; c += W) {
          const f32 best = simd::load(out + o + c), d = simd::load(dout + o + c);
          simd::mask taken = best != best;  // all false (best is never NaN here)
          for (int ky = 0; ky < g.size; ++ky)
            for (int kx = 0; kx < g.size; ++kx) {
              const long i = first + at(g, ky, kx) + c;
              const simd::mask hit = (simd::load(x + i) == best) && !taken;
              taken = taken || hit;
              const f32 routed = simd::where(hit, d);
              simd::store(dx + i, tiles ? routed : simd::load(dx + i) + routed);
            }
        }
        for (; c < g.C; ++c) {
          bool taken = false;
          for (int ky = 0; ky < g.size; ++ky)
            for (int kx = 0; kx < g.size; ++kx) {
              const long i = first + at(g, ky, kx) + c;
              const bool hit = !taken && x[i] == out[o + c];
              taken = taken || hit;
              const float routed = hit ? dout[o + c] : 0.0f;
              dx[i] = tiles ? routed : dx[i] + routed;
            }
        }
      }
  }
}

}  // namespace dt
