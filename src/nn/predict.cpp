#include "nn/predict.h"

#include <algorithm>
#include <cstring>

#include "nn/ops/activations.h"

namespace dt {

void predict_probs(float* probs, const Model& model, Workspace& ws, const float* pixels, int n) {
  const int K = model.classes();
  const long P = model.input_shape().size();
  for (int s = 0; s < n; s += ws.max_n()) {
    const int m = std::min(ws.max_n(), n - s);
    std::memcpy(ws.input(), pixels + s * P, sizeof(float) * m * P);
    ws.forward(model, m, /*training=*/false);
    softmax_forward_ref(probs + static_cast<long>(s) * K, ws.output(), m, K);
  }
}

}  // namespace dt
