#include <algorithm>
#include <cstring>

#include "kernels/pool.h"
#include "kernels/simd.h"

namespace dt {

using simd::f32;
constexpr int W = simd::kWidth;

namespace {
long at(const PoolGeometry& g, int y, int x) { return (static_cast<long>(y) * g.W + x) * g.C; }

// 2x2 windows at stride 2 (every pooling layer of the presets), the window unrolled. In wasm
// the general loops below cost far more than the maxima (the window's two loops run once per
// vector of channels, and V8 keeps a stack check in every loop): on keras-cnn's first pooling
// (26x26x32, 16 samples) in headless Chromium this ran the forward in 15 us where they took 85,
// the backward in 45-60 where they took 105-110 (the step 3,335 -> 3,190 us); natively 19 -> 14
// and 40 -> 29 us.
void maxpool2_forward(float* out, const float* inp, const PoolGeometry& g, int N) {
  const int full = g.C / W * W;
  const long in_size = static_cast<long>(g.H) * g.W * g.C, row = static_cast<long>(g.W) * g.C;
  for (int n = 0; n < N; ++n)
    for (int oy = 0; oy < g.OH; ++oy) {
      const float* x = inp + n * in_size + at(g, 2 * oy, 0);
      float* o = out + (static_cast<long>(n) * g.OH + oy) * g.OW * g.C;
      for (int ox = 0; ox < g.OW; ++ox, x += 2 * g.C, o += g.C) {
        int c = 0;
        for (; c < full; c += W) {
          f32 best = simd::max(simd::load(x + c), simd::load(x + g.C + c));
          best = simd::max(best, simd::load(x + row + c));
          simd::store(o + c, simd::max(best, simd::load(x + row + g.C + c)));
        }
        for (; c < g.C; ++c) o[c] = std::max(std::max(x[c], x[g.C + c]), std::max(x[row + c], x[row + g.C + c]));
      }
    }
}

// Windows that tile the input write each of their positions once: only the last rows and
// columns that no window covers are zeroed.
void zero_uncovered(float* dx, const PoolGeometry& g) {
  const int covered_h = g.OH * g.size, covered_w = g.OW * g.size;
  for (int y = 0; y < g.H; ++y)
    if (y >= covered_h)
      std::memset(dx + at(g, y, 0), 0, sizeof(float) * g.W * g.C);
    else if (covered_w < g.W)
      std::memset(dx + at(g, y, covered_w), 0, sizeof(float) * (g.W - covered_w) * g.C);
}

// The backward of maxpool2_forward: each window's dout to its first position, in window
// order, that equals its maximum.
void maxpool2_backward(float* dinp, const float* dout, const float* inp, const float* out, const PoolGeometry& g,
                       int N) {
  const int full = g.C / W * W;
  const long in_size = static_cast<long>(g.H) * g.W * g.C, row = static_cast<long>(g.W) * g.C;
  for (int n = 0; n < N; ++n) {
    zero_uncovered(dinp + n * in_size, g);
    for (int oy = 0; oy < g.OH; ++oy) {
      const long first = n * in_size + at(g, 2 * oy, 0);
      const float* x = inp + first;
      float* dx = dinp + first;
      const long o0 = (static_cast<long>(n) * g.OH + oy) * g.OW * g.C;
      const float* best_row = out + o0;
      const float* d_row = dout + o0;
      for (int ox = 0; ox < g.OW; ++ox, x += 2 * g.C, dx += 2 * g.C, best_row += g.C, d_row += g.C) {
        int c = 0;
        for (; c < full; c += W) {
          const f32 best = simd::load(best_row + c), d = simd::load(d_row + c);
          const simd::mask h0 = simd::load(x + c) == best;
          const simd::mask h1 = (simd::load(x + g.C + c) == best) && !h0;
          const simd::mask h01 = h0 || h1;
          const simd::mask h2 = (simd::load(x + row + c) == best) && !h01;
          const simd::mask h3 = (simd::load(x + row + g.C + c) == best) && !(h01 || h2);
          simd::store(dx + c, simd::where(h0, d));
          simd::store(dx + g.C + c, simd::where(h1, d));
          simd::store(dx + row + c, simd::where(h2, d));
          simd::store(dx + row + g.C + c, simd::where(h3, d));
        }
        for (; c < g.C; ++c) {
          const float best = best_row[c], d = d_row[c];
          const bool h0 = x[c] == best, h1 = !h0 && x[g.C + c] == best, h2 = !h0 && !h1 && x[row + c] == best;
          dx[c] = h0 ? d : 0.0f;
          dx[g.C + c] = h1 ? d : 0.0f;
          dx[row + c] = h2 ? d : 0.0f;
          dx[row + g.C + c] = !h0 && !h1 && !h2 && x[row + g.C + c] == best ? d : 0.0f;
        }
      }
    }
  }
}

}  // namespace

void maxpool_forward_simd(float* out, const float* inp, const PoolGeometry& g, int N) {
  if (g.size == 2 && g.stride == 2) return maxpool2_forward(out, inp, g, N);
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
  if (g.size == 2 && g.stride == 2) return maxpool2_backward(dinp, dout, inp, out, g, N);
  const int full = g.C / W * W;
  const long in_size = static_cast<long>(g.H) * g.W * g.C;
  // Windows that tile the input (stride == size) write each of their positions once (see
  // zero_uncovered). Overlapping windows add up and strided ones leave gaps, so those start
  // from an all-zero gradient.
  const bool tiles = g.stride == g.size;
  if (!tiles) std::memset(dinp, 0, sizeof(float) * static_cast<size_t>(N) * in_size);
  for (int n = 0; n < N; ++n) {
    const float* x = inp + n * in_size;
    float* dx = dinp + n * in_size;
    if (tiles) zero_uncovered(dx, g);
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
