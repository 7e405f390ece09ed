// Winograd F(2x2,3x3) transforms, reference: each one the matrix products of kernels/winograd.h
// written as loops over the constant matrices, one channel of one tile at a time. No
// vectorisation and no expanded formulas: this is what the SIMD version is checked against.
#include "kernels/winograd.h"

namespace dt {
namespace {

// The constant matrices of F(2x2,3x3).
constexpr float kBT[4][4] = {{1, 0, -1, 0}, {0, 1, 1, 0}, {0, -1, 1, 0}, {0, 1, 0, -1}};
constexpr float kG[4][3] = {{1, 0, 0}, {0.5f, 0.5f, 0.5f}, {0.5f, -0.5f, 0.5f}, {0, 0, 1}};
constexpr float kAT[2][4] = {{1, 1, 1, 0}, {0, 1, -1, -1}};

// out (R, C) = L (R, K) . X (K, J) . Rm (J, C), where L and Rm are given with their strides so
// that a transposed constant needs no copy: L(r, k) = l[r * l_rs + k * l_cs].
template <int R, int K, int J, int C>
void sandwich(float out[R][C], const float* l, int l_rs, int l_cs, const float x[K][J], const float* rm, int r_rs,
              int r_cs) {
  float lx[R][J] = {};
  for (int r = 0; r < R; ++r)
    for (int k = 0; k < K; ++k)
      for (int j = 0; j < J; ++j) lx[r][j] += l[r * l_rs + k * l_cs] * x[k][j];
  for (int r = 0; r < R; ++r)
    for (int c = 0; c < C; ++c) {
      float s = 0.0f;
      for (int j = 0; j < J; ++j) s += lx[r][j] * rm[j * r_rs + c * r_cs];
      out[r][c] = s;
    }
}

// Tile t's sample and position.
struct Tile {
  int s, ty, tx;
  Tile(const ConvGeometry& g, long t) {
    const long TH = (g.OH + 1) / 2, TW = (g.OW + 1) / 2;
    s = static_cast<int>(t / (TH * TW));
    ty = static_cast<int>(t % (TH * TW) / TW);
    tx = static_cast<int>(t % TW);
  }
};

}  // namespace

void winograd_input_transform_ref(float* V, const float* inp, const ConvGeometry& g, long first, long count) {
  const long stride = winograd_point_stride(count, g.C);
  for (long t = 0; t < count; ++t) {
    const auto [s, ty, tx] = Tile(g, first + t);
    for (int c = 0; c < g.C; ++c) {
      float d[4][4];
      for (int i = 0; i < 4; ++i)
        for (int j = 0; j < 4; ++j) {
          const int y = 2 * ty - g.pad_top + i, x = 2 * tx - g.pad_left + j;
          const bool inside = y >= 0 && y < g.H && x >= 0 && x < g.W;
          d[i][j] = inside ? inp[((static_cast<long>(s) * g.H + y) * g.W + x) * g.C + c] : 0.0f;
        }
      float v[4][4];
      sandwich<4, 4, 4, 4>(v, &kBT[0][0], 4, 1, d, &kBT[0][0], 1, 4);  // B^T d B
      for (int k = 0; k < kWinogradPoints; ++k) V[k * stride + t * g.C + c] = v[k / 4][k % 4];
    }
  }
}

void winograd_input_transform_backward_ref(float* dinp, const float* dV, const ConvGeometry& g, long first,
                                           long count) {
  const long stride = winograd_point_stride(count, g.C);
  for (long t = 0; t < count; ++t) {
    const auto [s, ty, tx] = Tile(g, first + t);
    for (int c = 0; c < g.C; ++c) {
      float v[4][4];
      for (int k = 0; k < kWinogradPoints; ++k) v[k / 4][k % 4] = dV[k * stride + t * g.C + c];
      float d[4][4];
      sandwich<4, 4, 4, 4>(d, &kBT[0][0], 1, 4, v, &kBT[0][0], 4, 1);  // B dV B^T
      for (int i = 0; i < 4; ++i)
        for (int j = 0; j < 4; ++j) {
          const int y = 2 * ty - g.pad_top + i, x = 2 * tx - g.pad_left + j;
          if (y >= 0 && y < g.H && x >= 0 && x < g.W)
            dinp[((static_cast<long>(s) * g.H + y) * g.W + x) * g.C + c] += d[i][j];
        }
    }
  }
}

void winograd_filter_transform_ref(float* U, const float* w, int C, int OC) {
  const long stride = winograd_point_stride(C, OC);
  for (int c = 0; c < C; ++c)
    for (int oc = 0; oc < OC; ++oc) {
      float f[3][3];
      for (int ky = 0; ky < 3; ++ky)
        for (int kx = 0; kx < 3; ++kx) f[ky][kx] = w[((ky * 3 + kx) * static_cast<long>(C) + c) * OC + oc];
      float u[4][4];
      sandwich<4, 3, 3, 4>(u, &kG[0][0], 3, 1, f, &kG[0][0], 1, 3);  // G g G^T
      for (int k = 0; k < kWinogradPoints; ++k) U[k * stride + static_cast<long>(c) * OC + oc] = u[k / 4][k % 4];
    }
}

void winograd_filter_transform_backward_ref(float* dw, const float* dU, int C, int OC) {
  const long stride = winograd_point_stride(C, OC);
  for (int c = 0; c < C; ++c)
    for (int oc = 0; oc < OC; ++oc) {
      float u[4][4];
      for (int k = 0; k < kWinogradPoints; ++k) u[k / 4][k % 4] = dU[k * stride + static_cast<long>(c) * OC + oc];
      float f[3][3];
      sandwich<3, 4, 4, 3>(f, &kG[0][0], 1, 3, u, &kG[0][0], 3, 1);  // G^T dU G
      for (int ky = 0; ky < 3; ++ky)
        for (int kx = 0; kx < 3; ++kx) dw[((ky * 3 + kx) * static_cast<long>(C) + c) * OC + oc] += f[ky][kx];
    }
}

void winograd_output_transform_ref(float* out, const float* M, const float* bias, const ConvGeometry& g, int OC,
                                   long first, long count) {
  const long stride = winograd_point_stride(count, OC);
  for (long t = 0; t < count; ++t) {
    const auto [s, ty, tx] = Tile(g, first + t);
    for (int oc = 0; oc < OC; ++oc) {
      float m[4][4];
      for (int k = 0; k < kWinogradPoints; ++k) m[k / 4][k % 4] = M[k * stride + t * OC + oc];
      float y[2][2];
      sandwich<2, 4, 4, 2>(y, &kAT[0][0], 4, 1, m, &kAT[0][0], 1, 4);  // A^T m A
      for (int i = 0; i < 2; ++i)
        for (int j = 0; j < 2; ++j) {
          const int oy = 2 * ty + i, ox = 2 * tx + j;
          if (oy < g.OH && ox < g.OW)
            out[((static_cast<long>(s) * g.OH + oy) * g.OW + ox) * OC + oc] = y[i][j] + bias[oc];
        }
    }
  }
}

void winograd_output_transform_backward_ref(float* dM, const float* dout, const ConvGeometry& g, int OC, long first,
                                            long count) {
  const long stride = winograd_point_stride(count, OC);
  for (long t = 0; t < count; ++t) {
    const auto [s, ty, tx] = Tile(g, first + t);
    for (int oc = 0; oc < OC; ++oc) {
      float dy[2][2];
      for (int i = 0; i < 2; ++i)
        for (int j = 0; j < 2; ++j) {
          const int oy = 2 * ty + i, ox = 2 * tx + j;
          dy[i][j] = oy < g.OH && ox < g.OW ? dout[((static_cast<long>(s) * g.OH + oy) * g.OW + ox) * OC + oc] : 0.0f;
        }
      float m[4][4];
      sandwich<4, 2, 2, 4>(m, &kAT[0][0], 1, 4, dy, &kAT[0][0], 4, 1);  // A dy A^T
      for (int k = 0; k < kWinogradPoints; ++k) dM[k * stride + t * OC + oc] = m[k / 4][k % 4];
    }
  }
}

}  // namespace dt
