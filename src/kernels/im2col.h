// Lowering a convolution to a matrix multiply, in NHWC.
//
// NHWC is chosen for speed: one im2col row is the receptive field of one output pixel,
// laid out (ky, kx, c), and each (ky, kx) contributes C contiguous floats, so rows are built
// with memcpy. The GEMM output (N*OH*OW, OC) is already the NHWC output tensor, and the
// weights (KH, KW, C, OC) are the (K*K*C, OC) right-hand matrix, with OC along the vector lanes.
#pragma once

namespace dt {

struct ConvGeometry {
  int H, W, C;      // input
  int KH, KW;       // kernel
  int stride;
  int pad_top, pad_left;
  int OH, OW;       // output
  int patch() const { return KH * KW * C; }
};

// col (n*OH*OW, KH*KW*C) from inp (n, H, W, C); out-of-image taps are zero.
void im2col(float* col, const float* inp, const ConvGeometry& g, int n);

// dinp (n, H, W, C) = sum of dcol's taps back at their input positions (overwrites dinp).
void col2im(float* dinp, const float* dcol, const ConvGeometry& g, int n);

// out (cols, rows) = in (rows, cols) transposed.
void transpose(float* out, const float* in, int rows, int cols);

}  // namespace dt
