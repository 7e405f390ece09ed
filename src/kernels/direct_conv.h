// Direct convolution of a one-channel image (a network's first layer on grey-scale digits),
// with the output channels along the vector lanes.
//
// With one input channel, im2col + GEMM is at its worst: every im2col row is KH*KW single
// floats gathered one by one, and the GEMM's depth is only KH*KW (9 for 3x3), too short to pay
// for loading and storing its accumulators. Here each output pixel's OC channels accumulate
//     out[pixel][:] = b[:] + sum_k x[pixel + k] * w[k][:]
// straight from the image: one broadcast of x per tap and pixel, OC/width multiply-adds, no
// matrix in between. The weight gradient is the same loop turned around,
//     dw[k][:] += sum_pixels x[pixel + k] * dout[pixel][:],   db[:] += sum_pixels dout[pixel][:]
// with the tap x channel block of accumulators in registers for a whole pass over the pixels.
//
// The image is a plane already padded (kernels never check bounds): output (oy, ox) reads the
// KH x KW window whose top-left is (oy * stride, ox * stride) of a (XH, XW) plane, one plane per
// sample, XH * XW floats apart. A 'valid' convolution passes its input itself; a padded one
// copies it into a zero-bordered plane first (nn/conv/direct_conv.cpp).
//
// Shapes: x (n, XH, XW), w (KH, KW, OC) (the conv2d weight (KH, KW, 1, OC)), b (OC),
// out and dout (n, OH, OW, OC), dx (n, XH, XW). Each op has a plain `_ref` and an xsimd `_simd`
// version with the same signature; tests compare the two.
#pragma once

namespace dt {

struct PlaneConv {
  int XH, XW;  // the (padded) input plane
  int KH, KW;
  int stride;
  int OH, OW;
  int OC;
  long plane() const { return static_cast<long>(XH) * XW; }
};

// out (n, OH, OW, OC) = b + x (*) w (overwrites out).
void direct_conv_forward_ref(float* out, const float* x, const float* w, const float* b, const PlaneConv& g, int n);
void direct_conv_forward_simd(float* out, const float* x, const float* w, const float* b, const PlaneConv& g, int n);

// dw (KH, KW, OC) += , db (OC) += : the weight and bias gradients from dout and the forward's x.
void direct_conv_backward_weights_ref(float* dw, float* db, const float* dout, const float* x, const PlaneConv& g,
                                      int n);
void direct_conv_backward_weights_simd(float* dw, float* db, const float* dout, const float* x, const PlaneConv& g,
                                       int n);

// dx (n, XH, XW) += each output's dout . w[k] at its tap k's pixel: the input gradient on the
// padded plane (accumulates: clear dx first; the caller crops the padding off).
void direct_conv_backward_input_ref(float* dx, const float* dout, const float* w, const PlaneConv& g, int n);
void direct_conv_backward_input_simd(float* dx, const float* dout, const float* w, const PlaneConv& g, int n);

}  // namespace dt
