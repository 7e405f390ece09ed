#include "quant/quantize.h"

#include <algorithm>
#include <numeric>

#include "quant/quantized_file.h"
#include "util/rng.h"

namespace dt {

Result<QuantizeResult> quantize_model(const Model& model, const float* calib_pixels, int n_calib) {
  auto q = quantize(model, calib_pixels, n_calib);
  if (!q) return Error{q.error()};
  QuantizeResult r{std::move(*q), {}};
  r.bytes = save_quantized(r.model);
  return r;
}

std::vector<int> calibration_indices(int count, int n, uint64_t seed) {
  std::vector<int> all(std::max(n, 0));
  std::iota(all.begin(), all.end(), 0);
  if (count >= n) return all;
  Rng rng(mix(seed, 0xca11b));
  for (int i = 0; i < count; ++i) std::swap(all[i], all[i + rng.below(static_cast<uint32_t>(n - i))]);  // partial Fisher-Yates
  all.resize(std::max(count, 0));
  std::sort(all.begin(), all.end());
  return all;
}

}  // namespace dt
