#include "kernels/im2col.h"

#include <cstring>

#include "kernels/simd.h"

namespace dt {

namespace {
constexpr int W = simd::kWidth;

// Rows of a patch are short (KW*C floats: 3 for the first layer of an MNIST net), where a
// library memcpy call costs more than the copy; a plain loop is inlined and vectorised.
inline void copy_floats(float* dst, const float* src, int n) {
  for (int i = 0; i < n; ++i) dst[i] = src[i];
}
inline void zero_floats(float* dst, int n) {
  for (int i = 0; i < n; ++i) dst[i] = 0.0f;
}
// col2im's accumulation, vectorised by hand: the compiler cannot rule out aliasing here and
// left it scalar in wasm.
inline void add_floats(float* __restrict dst, const float* __restrict src, int n) {
  int i = 0;
  for (; i + W <= n; i += W) simd::store(dst + i, simd::load(dst + i) + simd::load(src + i));
  for (; i < n; ++i) dst[i] += src[i];
}
}  // namespace

void im2col(float* col, const float* inp, const ConvGeometry& g, int n) {
  const size_t patch = static_cast<size_t>(g.patch());
  for (int b = 0; b < n; ++b) {
    const float* img = inp + static_cast<size_t>(b) * g.H * g.W * g.C;
    for (int oy = 0; oy < g.OH; ++oy) {
      for (int ox = 0; ox < g.OW; ++ox) {
        float* row = col + ((static_cast<size_t>(b) * g.OH + oy) * g.OW + ox) * patch;
        for (int ky = 0; ky < g.KH; ++ky) {
          const int iy = oy * g.stride + ky - g.pad_top;
          float* dst = row + static_cast<size_t>(ky) * g.KW * g.C;
          if (iy < 0 || iy >= g.H) {
            zero_floats(dst, g.KW * g.C);
            continue;
          }
          const int ix0 = ox * g.stride - g.pad_left;
          if (ix0 >= 0 && ix0 + g.KW <= g.W) {  // whole kernel row inside: one copy
            copy_floats(dst, img + (static_cast<size_t>(iy) * g.W + ix0) * g.C, g.KW * g.C);
            continue;
          }
          for (int kx = 0; kx < g.KW; ++kx) {
            const int ix = ix0 + kx;
            float* d = dst + static_cast<size_t>(kx) * g.C;
            if (ix < 0 || ix >= g.W)
              zero_floats(d, g.C);
            else
              copy_floats(d, img + (static_cast<size_t>(iy) * g.W + ix) * g.C, g.C);
          }
        }
      }
    }
  }
}

void col2im(float* dinp, const float* dcol, const ConvGeometry& g, int n) {
  const size_t patch = static_cast<size_t>(g.patch());
  std::memset(dinp, 0, sizeof(float) * static_cast<size_t>(n) * g.H * g.W * g.C);
  for (int b = 0; b < n; ++b) {
    float* img = dinp + static_cast<size_t>(b) * g.H * g.W * g.C;
    for (int oy = 0; oy < g.OH; ++oy) {
      for (int ox = 0; ox < g.OW; ++ox) {
        const float* row = dcol + ((static_cast<size_t>(b) * g.OH + oy) * g.OW + ox) * patch;
        for (int ky = 0; ky < g.KH; ++ky) {
          const int iy = oy * g.stride + ky - g.pad_top;
          if (iy < 0 || iy >= g.H) continue;
          for (int kx = 0; kx < g.KW; ++kx) {
            const int ix = ox * g.stride + kx - g.pad_left;
            if (ix < 0 || ix >= g.W) continue;
            const float* s = row + (static_cast<size_t>(ky) * g.KW + kx) * g.C;
            float* d = img + (static_cast<size_t>(iy) * g.W + ix) * g.C;
            add_floats(d, s, g.C);
          }
        }
      }
    }
  }
}

void transpose(float* out, const float* in, int rows, int cols) {
  constexpr int B = 16;  // blocked so both sides stay in cache
  for (int r0 = 0; r0 < rows; r0 += B)
    for (int c0 = 0; c0 < cols; c0 += B)
      for (int r = r0; r < rows && r < r0 + B; ++r)
        for (int c = c0; c < cols && c < c0 + B; ++c)
          out[static_cast<size_t>(c) * rows + r] = in[static_cast<size_t>(r) * cols + c];
}

}  // namespace dt
