#include "nn/attribution.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <numeric>

#include "nn/ops/activations.h"

namespace dt {

namespace {

// Softmax probability of class k for each of the workspace's n outputs.
void class_probabilities(float* p_k, const Model& model, const Workspace& ws, int n, int k) {
  const int K = model.classes();
  std::vector<float> probs(K);
  for (int s = 0; s < n; ++s) {
    softmax_row(probs.data(), ws.output() + static_cast<long>(s) * K, K);
    p_k[s] = probs[k];
  }
}

// Top-left corners along one axis of `extent`: 0, stride, ..., and the far edge's if the
// stride stepped past it, so the last pixels are covered too.
std::vector<int> patch_starts(int extent, int size, int stride) {
  std::vector<int> starts;
  for (int s = 0; s + size <= extent; s += stride) starts.push_back(s);
  if (starts.back() + size < extent) starts.push_back(extent - size);
  return starts;
}

struct Patch {
  int y, x;
};

}  // namespace

const char* attribution_method_name(AttributionMethod method) {
  return method == AttributionMethod::occlusion ? "occlusion" : "gradient";
}

Result<AttributionMethod> attribution_method_from_name(const std::string& name) {
  if (name == "gradient") return AttributionMethod::gradient_x_input;
  if (name == "occlusion") return AttributionMethod::occlusion;
  return Error{"unknown attribution method '" + name + "' (use gradient or occlusion)"};
}

std::vector<float> logit_gradient(const Model& model, Workspace& ws, const float* image, int k) {
  const long P = model.input_shape().size();
  std::memcpy(ws.input(), image, sizeof(float) * P);
  ws.forward(model, 1, /*training=*/false);
  float* dout = ws.output_grad();
  std::fill(dout, dout + model.classes(), 0.0f);
  dout[k] = 1.0f;  // d(output . e_k) = d logit_k
  std::vector<float> grad(static_cast<size_t>(P));
  ws.backward(model, 1, /*grads=*/nullptr, grad.data());
  return grad;
}

std::vector<float> gradient_x_input(const Model& model, Workspace& ws, const float* image, int k) {
  const Shape3 in = model.input_shape();
  const std::vector<float> grad = logit_gradient(model, ws, image, k);
  std::vector<float> map(static_cast<size_t>(in.h) * in.w, 0.0f);
  for (long i = 0; i < in.size(); ++i) map[i / in.c] += image[i] * grad[i];
  return map;
}

std::vector<float> occlusion(const Model& model, Workspace& ws, const float* image, int k, OcclusionPatch patch) {
  const Shape3 in = model.input_shape();
  const int size = std::clamp(patch.size, 1, std::min(in.h, in.w));
  const int stride = std::max(1, patch.stride);
  const long P = in.size();

  float p_original = 0;
  std::memcpy(ws.input(), image, sizeof(float) * P);
  ws.forward(model, 1, /*training=*/false);
  class_probabilities(&p_original, model, ws, 1, k);

  // Every patch covers its pixels; only those that hide a non-zero value need a forward (the
  // others leave the image as it is, so p_k does not drop).
  const std::vector<int> ys = patch_starts(in.h, size, stride), xs = patch_starts(in.w, size, stride);
  std::vector<float> drop_sum(static_cast<size_t>(in.h) * in.w, 0.0f), covers(drop_sum.size(), 0.0f);
  std::vector<Patch> hiding;
  for (int y : ys)
    for (int x : xs) {
      bool hides = false;
      for (int r = y; r < y + size; ++r) {
        for (int c = x; c < x + size; ++c) covers[static_cast<size_t>(r) * in.w + c] += 1.0f;
        const float* row = image + (static_cast<long>(r) * in.w + x) * in.c;
        hides = hides || std::any_of(row, row + size * in.c, [](float v) { return v != 0.0f; });
      }
      if (hides) hiding.push_back({y, x});
    }

  std::vector<float> p_k(static_cast<size_t>(ws.max_n()));
  for (size_t first = 0; first < hiding.size(); first += static_cast<size_t>(ws.max_n())) {
    const int m = static_cast<int>(std::min(hiding.size() - first, static_cast<size_t>(ws.max_n())));
    for (int s = 0; s < m; ++s) {
      float* dst = ws.input() + s * P;
      std::memcpy(dst, image, sizeof(float) * P);
      const Patch& q = hiding[first + s];
      for (int r = q.y; r < q.y + size; ++r)
        std::fill_n(dst + (static_cast<long>(r) * in.w + q.x) * in.c, size * in.c, 0.0f);
    }
    ws.forward(model, m, /*training=*/false);
    class_probabilities(p_k.data(), model, ws, m, k);
    for (int s = 0; s < m; ++s) {
      const Patch& q = hiding[first + s];
      const float drop = p_original - p_k[s];
      for (int r = q.y; r < q.y + size; ++r)
        for (int c = q.x; c < q.x + size; ++c) drop_sum[static_cast<size_t>(r) * in.w + c] += drop;
    }
  }
  for (size_t i = 0; i < drop_sum.size(); ++i) drop_sum[i] /= covers[i];  // every pixel has a patch
  return drop_sum;
}

std::vector<float> attribution(const Model& model, Workspace& ws, const float* image, int k, AttributionMethod method,
                               OcclusionPatch patch) {
  return method == AttributionMethod::occlusion ? occlusion(model, ws, image, k, patch)
                                                : gradient_x_input(model, ws, image, k);
}

std::vector<PixelValue> top_pixels(const std::vector<float>& map, int width, int count) {
  std::vector<int> order(map.size());
  std::iota(order.begin(), order.end(), 0);
  const size_t n = std::min(order.size(), static_cast<size_t>(std::max(0, count)));
  std::partial_sort(order.begin(), order.begin() + static_cast<long>(n), order.end(), [&](int a, int b) {
    const float fa = std::fabs(map[a]), fb = std::fabs(map[b]);
    return fa != fb ? fa > fb : a < b;
  });
  std::vector<PixelValue> top(n);
  for (size_t i = 0; i < n; ++i) top[i] = {order[i] / width, order[i] % width, map[order[i]]};
  return top;
}

}  // namespace dt
