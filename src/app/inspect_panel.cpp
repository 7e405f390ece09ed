// Inspect panel: the first convolution's filters and the feature maps the drawn digit
// produces after it (and after its activation), from the page's copy of the weights.
#include <algorithm>
#include <cmath>
#include <vector>

#include "app/panels.h"
#include "nn/layers/conv2d_layer.h"

namespace dt {

namespace {

// Tiles n (h, w) images into a grid of `cols` with a one-pixel gap; returns the atlas size.
std::vector<float> tile(int n, int h, int w, int cols, const std::vector<std::vector<float>>& images, int* ah, int* aw,
                        float gap_value) {
  const int rows = (n + cols - 1) / cols;
  *ah = rows * (h + 1) - 1;
  *aw = cols * (w + 1) - 1;
  std::vector<float> atlas(static_cast<size_t>(*ah) * *aw, gap_value);
  for (int k = 0; k < n; ++k) {
    const int r = k / cols, c = k % cols;
    for (int y = 0; y < h; ++y)
      for (int x = 0; x < w; ++x) atlas[static_cast<size_t>(r * (h + 1) + y) * *aw + c * (w + 1) + x] = images[k][y * w + x];
  }
  return atlas;
}

void show_atlas(const ImageTexture& tex, int ah, int aw, Colormap map) {
  const float w = ImGui::GetContentRegionAvail().x;
  const float h = w * ah / aw;
  const ImVec2 p0 = ImGui::GetCursorScreenPos();
  ImGui::Dummy(ImVec2(w, h));
  draw_image(ImGui::GetWindowDrawList(), tex, p0, ImVec2(p0.x + w, p0.y + h), map);
}

}  // namespace

void inspect_panel(AppState& app, PanelTextures& tex) {
  const Model& model = app.inference.model();
  if (model.num_layers() == 0 || !model.spec().layers[0].is<Conv2dParams>()) {
    ImGui::TextWrapped("This model does not start with a convolution: no filters to show.");
    return;
  }
  const TensorInfo& weight = model.tensors()[0];  // layers.0.weight (KH, KW, C, OC)
  const int KH = weight.shape[0], KW = weight.shape[1], C = weight.shape[2], OC = weight.shape[3];
  const Shape3 maps_shape = model.shape_after(model.num_layers() > 1 ? 1 : 0);  // after the activation
  const int cols = 8;
  int &ah_f = tex.filters_h, &aw_f = tex.filters_w, &ah_m = tex.maps_h, &aw_m = tex.maps_w;
  const unsigned key = app.inference.version() * 7919u + app.pad.version();
  if (key != tex.inspect_key) {
    tex.inspect_key = key;
    // Filters of the first input channel, each on a symmetric range so zero is white.
    std::vector<std::vector<float>> filters(OC, std::vector<float>(KH * KW));
    const float* w = model.params() + weight.offset;
    float extent = 1e-6f;
    for (int o = 0; o < OC; ++o)
      for (int i = 0; i < KH * KW; ++i) {
        filters[o][i] = w[static_cast<long>(i) * C * OC + o];
        extent = std::max(extent, std::fabs(filters[o][i]));
      }
    std::vector<float> fa = tile(OC, KH, KW, cols, filters, &ah_f, &aw_f, 0.0f);
    tex.filters.upload(fa.data(), ah_f, aw_f, -extent, extent);
    // Feature maps (H, W, C) of the drawn digit, one image per channel.
    const int H = maps_shape.h, W = maps_shape.w, MC = maps_shape.c;
    const float* a = app.inference.activation_after(model.num_layers() > 1 ? 1 : 0);
    std::vector<std::vector<float>> maps(MC, std::vector<float>(H * W));
    float hi = 1e-6f;
    for (int c = 0; c < MC; ++c)
      for (int i = 0; i < H * W; ++i) {
        maps[c][i] = a[static_cast<long>(i) * MC + c];
        hi = std::max(hi, maps[c][i]);
      }
    std::vector<float> ma = tile(MC, H, W, cols, maps, &ah_m, &aw_m, hi * 0.15f);
    tex.feature_maps.upload(ma.data(), ah_m, aw_m, 0.0f, hi);
  }
  ImGui::TextWrapped("first-layer filters (%d of %dx%d; blue < 0 < red)", OC, KH, KW);
  show_atlas(tex.filters, ah_f, aw_f, Colormap::diverging);
  ImGui::TextWrapped("feature maps of the drawing after layer 1 (%dx%dx%d)", maps_shape.h, maps_shape.w, maps_shape.c);
  // A cleared pad has nothing to show: the last drawing's maps would be a stale answer.
  app.shown.feature_maps = !app.pad.empty();
  if (app.pad.empty()) ImGui::TextDisabled("Draw on the pad to see them.");
  else show_atlas(tex.feature_maps, ah_m, aw_m, Colormap::heat);
}

}  // namespace dt
