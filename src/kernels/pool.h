// Max pooling over NHWC, vectorised across channels. The reference (nn/ops/pool.h) loops
// channel by channel and records each winner's index; here each window position is one vector
// load per channel block, and nothing is recorded: the backward finds the winners again by
// comparing the input with the pooled output, which it has anyway. Storing indices cost more
// than the pooling itself (a scalar store per lane), and finding them again is one compare per
// input element.
#pragma once

namespace dt {

struct PoolGeometry {
  int H, W, C;
  int size, stride;
  int OH, OW;
};

// out (N,OH,OW,C): the maximum of each window.
void maxpool_forward_simd(float* out, const float* inp, const PoolGeometry& g, int N);

// dinp (N,H,W,C) overwritten: each window's dout goes to the first input position, in window
// order, that equals the window's maximum `out` (the reference's winner, ties included).
void maxpool_backward_simd(float* dinp, const float* dout, const float* inp, const float* out, const PoolGeometry& g,
                           int N);

}  // namespace dt
