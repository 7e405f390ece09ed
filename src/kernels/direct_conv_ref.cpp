// Direct one-channel convolution, reference: the sums of kernels/direct_conv.h as plain loops,
// one output channel at a time. No processor-specific code; the SIMD version is tested against it.
#include "kernels/direct_conv.h"

namespace dt {

namespace {
// The first pixel of output (oy, ox)'s window in sample s's plane.
long window(const PlaneConv& g, int s, int oy, int ox) {
  return s * g.plane() + static_cast<long>(oy) * g.stride * g.XW + static_cast<long>(ox) * g.stride;
}
long pixel(const PlaneConv& g, int s, int oy, int ox) { return (static_cast<long>(s) * g.OH + oy) * g.OW + ox; }
}  // namespace

void direct_conv_forward_ref(float* out, const float* x, const float* w, const float* b, const PlaneConv& g, int n) {
  for (int s = 0; s < n; ++s)
    for (int oy = 0; oy < g.OH; ++oy)
      for (int ox = 0; ox < g.OW; ++ox) {
        float* o = out + pixel(g, s, oy, ox) * g.OC;
        const float* xw = x + window(g, s, oy, ox);
        for (int oc = 0; oc < g.OC; ++oc) {
          float sum = b[oc];
          for (int ky = 0; ky < g.KH; ++ky)
            for (int kx = 0; kx < g.KW; ++kx)
              sum += xw[static_cast<long>(ky) * g.XW + kx] * w[(ky * g.KW + kx) * g.OC + oc];
          o[oc] = sum;
        }
      }
}

void direct_conv_backward_weights_ref(float* dw, float* db, const float* dout, const float* x, const PlaneConv& g,
                                      int n) {
  for (int s = 0; s < n; ++s)
    for (int oy = 0; oy < g.OH; ++oy)
      for (int ox = 0; ox < g.OW; ++ox) {
        const float* d = dout + pixel(g, s, oy, ox) * g.OC;
        const float* xw = x + window(g, s, oy, ox);
        for (int oc = 0; oc < g.OC; ++oc) db[oc] += d[oc];
        for (int ky = 0; ky < g.KH; ++ky)
          for (int kx = 0; kx < g.KW; ++kx)
            for (int oc = 0; oc < g.OC; ++oc)
              dw[(ky * g.KW + kx) * g.OC + oc] += xw[static_cast<long>(ky) * g.XW + kx] * d[oc];
      }
}

void direct_conv_backward_input_ref(float* dx, const float* dout, const float* w, const PlaneConv& g, int n) {
  for (int s = 0; s < n; ++s)
    for (int oy = 0; oy < g.OH; ++oy)
      for (int ox = 0; ox < g.OW; ++ox) {
        const float* d = dout + pixel(g, s, oy, ox) * g.OC;
        float* dxw = dx + window(g, s, oy, ox);
        for (int ky = 0; ky < g.KH; ++ky)
          for (int kx = 0; kx < g.KW; ++kx) {
            float sum = 0.0f;
            for (int oc = 0; oc < g.OC; ++oc) sum += d[oc] * w[(ky * g.KW + kx) * g.OC + oc];
            dxw[static_cast<long>(ky) * g.XW + kx] += sum;
          }
      }
}

}  // namespace dt
