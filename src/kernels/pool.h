// Max pooling over NHWC, vectorised across channels. The reference (nn/ops/pool.h) loops
// channel by channel; here each window position is one vector load per channel block, and the
// winner's index is tracked lane by lane with a compare and two selects.
#pragma once
#include <cstdint>

namespace dt {

struct PoolGeometry {
  int H, W, C;
  int size, stride;
  int OH, OW;
};

// out (N,OH,OW,C), argmax (N,OH,OW,C) flat input index within one sample. Ties keep the
// first position in window order, as the reference does.
void maxpool_forward_simd(float* out, int32_t* argmax, const float* inp, const PoolGeometry& g, int N);

}  // namespace dt
