// Why a model gave an image a class: one signed value per input pixel, for any class k.
//
// - gradient x input: x * d logit_k / dx, one forward and one backward in inference mode
//   (batch norm on its running statistics, no dropout), as the prediction itself runs.
//   It differentiates the logit (the model's output k, before the softmax the loss and
//   predict_probs apply), not the probability: d p_k / dx = p_k (d logit_k/dx - sum_j p_j
//   d logit_j/dx) vanishes as p_k nears 1, so a confident guess would explain itself with a
//   blank map, and it mixes in every other class's evidence. The logit is class k's own
//   evidence (Simonyan et al. 2013 and gradient x input use the pre-softmax score too).
// - occlusion: the drop in the probability p_k when a square patch of the image is set to 0
//   (the background of MNIST-style images), averaged at each pixel over the patches that cover
//   it. Positive: hiding the pixel's neighbourhood lowers p_k (it was evidence for k). It needs
//   no gradient, and a forward per patch: the patches run as batches of ws.max_n() images.
//
// Maps are H*W floats (row-major; summed over channels for multi-channel inputs). Each call
// overwrites the workspace's activations, so a caller that shows feature maps of another image
// keeps a workspace of its own for attribution.
#pragma once
#include <string>
#include <vector>

#include "nn/model.h"
#include "util/result.h"

namespace dt {

enum class AttributionMethod { gradient_x_input, occlusion };

// "gradient" and "occlusion": the names the CLI and the page use.
const char* attribution_method_name(AttributionMethod method);
Result<AttributionMethod> attribution_method_from_name(const std::string& name);

// The occluding patch. 5x5 at stride 1 by default: a stroke of an MNIST digit is 2-3 pixels
// wide, so a 5x5 patch hides one stroke segment or one junction, the parts that tell digits
// apart, where a 7x7 patch hides a whole loop of the 20x20 digit and blurs the map. Stride 1
// gives every pixel at least 4 from the edge the same 25 patches, so the map is as sharp as
// the patch allows. The cost is one forward per patch that hides something (patches over
// background are skipped: they change nothing, so their drop is exactly 0): at most
// (28-5+1)^2 = 576, 30-160 ms natively for fast and keras-cnn (README); stride 2 needs 169.
struct OcclusionPatch {
  int size = 5;
  int stride = 1;
};

// d logit_k / d image (model.input_shape().size() floats), after an inference forward.
std::vector<float> logit_gradient(const Model& model, Workspace& ws, const float* image, int k);

// image * d logit_k / d image, summed over channels: H*W floats.
std::vector<float> gradient_x_input(const Model& model, Workspace& ws, const float* image, int k);

// Mean drop in p_k over the patches covering each pixel: H*W floats. Patch positions run from
// 0 by `stride`, with one more at the far edge when the stride skips it, so every pixel is
// covered. The patch's size must be within the image and both must be >= 1 (clamped).
std::vector<float> occlusion(const Model& model, Workspace& ws, const float* image, int k, OcclusionPatch patch = {});

std::vector<float> attribution(const Model& model, Workspace& ws, const float* image, int k, AttributionMethod method,
                               OcclusionPatch patch = {});

// The `count` pixels of a map (width columns) with the largest |value|, largest first (ties:
// the earlier pixel in row-major order first).
struct PixelValue {
  int row = 0, col = 0;
  float value = 0;
};
std::vector<PixelValue> top_pixels(const std::vector<float>& map, int width, int count);

}  // namespace dt
