// The transforms of Winograd's F(2x2,3x3) convolution (Lavin & Gray, "Fast Algorithms for
// Convolutional Neural Networks", 2015), in NHWC, and their adjoints for the backward.
//
// A 3x3 stride-1 convolution's output is cut into 2x2 tiles. Tile (ty, tx) reads the 4x4 input
// window d whose top-left pixel is (2ty - pad_top, 2tx - pad_left) (zero outside the image) and
// yields
//     Y (2x2) = A^T [ (G g G^T) (.) (B^T d B) ] A
// for each 3x3 filter g, where (.) is the element-wise product. Summed over input channels, the
// element-wise products are 16 matrix products, one per point of the 4x4 transformed domain:
//     M[k] (T, OC) = V[k] (T, C) . U[k] (C, OC),   k = 4 * row + column, T tiles,
// 16 * C * OC multiplies per tile where im2col + GEMM does 4 * 9 * C * OC: 2.25x fewer.
// The transforms below fill V and U and read M; the GEMMs are gemm_f32's (kernels/gemm.h).
//
// Layouts: V (16, T, C), U (16, C, OC), M (16, T, OC): one row-major matrix per point k, the 16
// matrices winograd_point_stride(rows, cols) floats apart: one cache line more than their size.
// Without that line the transforms, which write (or read) all 16 matrices for each tile,
// touch 16 addresses a multiple of 4 KiB apart whenever rows * cols is a multiple of 1024
// (as 32 tiles x 32 channels): they share one set of the 12-way L1 cache and evict each
// other, and the output transform's adjoint ran 3.5x slower.
// Tiles are numbered t = (sample * TH + ty) * TW + tx, TH = ceil(OH / 2), TW = ceil(OW / 2);
// a tile past an odd output size's edge computes outputs that are then dropped.
//
// The tile transforms work on a block of consecutive tiles, [first, first + count): V, M and dM
// then hold that block's rows only (count of them per point), while the images (inp, dinp,
// out, dout) are the whole batch's. A convolution runs block after block so that a block's V
// and M stay in cache between the transforms and the matrix products; writing all of M out
// and reading it back cost more than its matrix products on 13x13x32 -> 64 (native).
//
// Each transform has a plain `_ref` (the matrix products written as loops over the matrices
// above, one channel at a time) and an xsimd `_simd` version (the same products expanded into
// additions, over a vector of channels, with a scalar tail) with the same signature; tests
// compare the two.
#pragma once
#include "kernels/im2col.h"  // ConvGeometry

namespace dt {

constexpr int kWinogradPoints = 16;  // the 4x4 transformed domain

// Floats from one point's (rows, cols) matrix to the next: see Layouts above.
inline long winograd_point_stride(long rows, int cols) { return rows * cols + 16; }

// T: the number of 2x2 output tiles of n samples.
inline long winograd_tiles(const ConvGeometry& g, int n) {
  return static_cast<long>(n) * ((g.OH + 1) / 2) * ((g.OW + 1) / 2);
}

// V (16, count, C) = B^T d B for each tile's 4x4 input window d of inp (n, H, W, C).
void winograd_input_transform_ref(float* V, const float* inp, const ConvGeometry& g, long first, long count);
void winograd_input_transform_simd(float* V, const float* inp, const ConvGeometry& g, long first, long count);

// dinp (n, H, W, C) += B dV B^T of each tile at its window's pixels inside the image, from
// dV (16, count, C): the input transform's adjoint (accumulates: clear dinp before the first
// block).
void winograd_input_transform_backward_ref(float* dinp, const float* dV, const ConvGeometry& g, long first, long count);
void winograd_input_transform_backward_simd(float* dinp, const float* dV, const ConvGeometry& g, long first, long count);

// U (16, C, OC) = G g G^T for each 3x3 filter g of w (3, 3, C, OC).
void winograd_filter_transform_ref(float* U, const float* w, int C, int OC);
void winograd_filter_transform_simd(float* U, const float* w, int C, int OC);

// dw (3, 3, C, OC) += G^T dU G: the filter transform's adjoint.
void winograd_filter_transform_backward_ref(float* dw, const float* dU, int C, int OC);
void winograd_filter_transform_backward_simd(float* dw, const float* dU, int C, int OC);

// out (n, OH, OW, OC) = A^T m A + bias (OC) for each tile's 4x4 m of M (16, count, OC), the
// outputs past the edge left out.
void winograd_output_transform_ref(float* out, const float* M, const float* bias, const ConvGeometry& g, int OC,
                                   long first, long count);
void winograd_output_transform_simd(float* out, const float* M, const float* bias, const ConvGeometry& g, int OC,
                                    long first, long count);

// dM (16, count, OC) = A dy A^T for each tile's 2x2 dy of dout (n, OH, OW, OC), zero past the
// edge: the output transform's adjoint.
void winograd_output_transform_backward_ref(float* dM, const float* dout, const ConvGeometry& g, int OC, long first,
                                            long count);
void winograd_output_transform_backward_simd(float* dM, const float* dout, const ConvGeometry& g, int OC, long first,
                                             long count);

}  // namespace dt
