// Inspect panel: every layer of the page's copy of the network. A list gives each layer's
// kind, output shape and parameter count; for the chosen layer it shows what the drawing on
// the pad produces there (a feature map per channel, a bar per unit, the softmax for the last
// layer) and its weights (convolution filters for one input channel; a dense unit's weights
// laid out as the image it reads, all units at once when that image has one channel, as the
// first dense layer of `mlp` reads the 28x28 digit), each on a labelled colour scale. It
// follows the weight snapshots that arrive while training.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include "app/line_chart.h"
#include "app/panels.h"
#include "app/word_wrap.h"
#include "nn/layers/conv2d_layer.h"
#include "nn/layers/dense_layer.h"
#include "nn/layers/dropout_layer.h"
#include "nn/layers/flatten_layer.h"

namespace dt {

namespace {

constexpr int kMapColumns = 8;      // feature maps and filters per row
constexpr int kMaxTemplates = 128;  // dense units drawn as images, at most

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

void show_atlas(const ImageTexture& tex, int ah, int aw, Colormap map, float max_width) {
  const float w = std::min(ImGui::GetContentRegionAvail().x, max_width);
  const float h = w * ah / aw;
  const ImVec2 p0 = ImGui::GetCursorScreenPos();
  ImGui::Dummy(ImVec2(w, h));
  draw_image(ImGui::GetWindowDrawList(), tex, p0, ImVec2(p0.x + w, p0.y + h), map);
}

// A layer's trainable parameters (batch norm's running statistics are not trained).
long trainable_params(const Model& model, int layer) {
  const std::string prefix = "layers." + std::to_string(layer) + ".";
  long n = 0;
  for (const TensorInfo& t : model.tensors())
    if (t.trainable && t.name.compare(0, prefix.size(), prefix) == 0) n += t.size;
  return n;
}

const TensorInfo* tensor(const Model& model, int layer, const char* param) {
  const std::string name = "layers." + std::to_string(layer) + "." + param;
  for (const TensorInfo& t : model.tensors())
    if (t.name == name) return &t;
  return nullptr;
}

// The image a dense layer reads: the shape before the flatten (and dropout) in front of it.
Shape3 dense_input_image(const Model& model, int layer) {
  int i = layer - 1;
  while (i >= 0 && (model.spec().layers[i].is<FlattenParams>() || model.spec().layers[i].is<DropoutParams>())) --i;
  return i < 0 ? model.input_shape() : model.shape_after(i);
}

// The list of layers: kind, output shape, parameters; a click chooses one.
void layer_list(AppState& app, const Model& model) {
  InspectState& s = app.inspect;
  if (!ImGui::BeginTable("layers", 3, ImGuiTableFlags_RowBg | ImGuiTableFlags_SizingStretchProp | ImGuiTableFlags_BordersInnerV)) return;
  ImGui::TableSetupColumn("layer");
  ImGui::TableSetupColumn("output");
  ImGui::TableSetupColumn("parameters");
  ImGui::TableHeadersRow();
  for (int i = 0; i < model.num_layers(); ++i) {
    const Shape3 out = model.shape_after(i);
    ImGui::TableNextRow();
    ImGui::TableNextColumn();
    char label[96];
    std::snprintf(label, sizeof label, "%d %s", i + 1, describe(model.spec().layers[i]).c_str());
    if (ImGui::Selectable(label, s.layer == i, ImGuiSelectableFlags_SpanAllColumns)) {
      s.layer = i;
      s.channel = s.unit = 0;
    }
    note_item_rect(app, ("Layer " + std::to_string(i + 1)).c_str());
    ImGui::TableNextColumn();
    ImGui::Text("%dx%dx%d", out.h, out.w, out.c);
    ImGui::TableNextColumn();
    ImGui::Text("%ld", trainable_params(model, i));
  }
  ImGui::EndTable();
}

// What the drawing produces after the layer: maps for spatial outputs, bars otherwise (the
// softmax after the last layer).
void output_view(AppState& app, PanelTextures& tex, const Model& model, int layer, bool rebuild) {
  Shown::Inspect& shown = app.shown.inspect;
  const Shape3 s = model.shape_after(layer);
  const bool last = layer == model.num_layers() - 1;
  const float* a = app.inference.activation_after(layer);
  if (app.pad.empty()) {
    ImGui::TextDisabled("Draw on the pad (or click a mistake) to see this layer's output for it.");
    return;
  }
  if (s.h * s.w > 1) {  // one map per channel, on one scale for them all
    float lo = 0, hi = 1e-6f;
    for (long i = 0; i < s.size(); ++i) {
      lo = std::min(lo, a[i]);
      hi = std::max(hi, a[i]);
    }
    const bool signed_maps = lo < 0;  // before an activation: negative values too
    const float extent = std::max(hi, -lo);
    int &ah = tex.maps_h, &aw = tex.maps_w;
    if (rebuild) {
      std::vector<std::vector<float>> maps(s.c, std::vector<float>(static_cast<size_t>(s.h) * s.w));
      for (int c = 0; c < s.c; ++c)
        for (int i = 0; i < s.h * s.w; ++i) maps[c][i] = a[static_cast<long>(i) * s.c + c];
      std::vector<float> atlas = tile(s.c, s.h, s.w, std::min(kMapColumns, s.c), maps, &ah, &aw, signed_maps ? 0.0f : hi * 0.15f);
      if (signed_maps) tex.feature_maps.upload(atlas.data(), ah, aw, -extent, extent);
      else tex.feature_maps.upload(atlas.data(), ah, aw, 0.0f, hi);
    }
    text_wrapped("output for the drawing: %d maps of %dx%d (%s %.3g .. %.3g)", s.c, s.h, s.w,
                       signed_maps ? "blue < 0 < red," : "dark 0, bright", signed_maps ? -extent : 0.0f, signed_maps ? extent : hi);
    show_atlas(tex.feature_maps, ah, aw, signed_maps ? Colormap::diverging : Colormap::heat, ImGui::GetFontSize() * 40);
    shown.output_view = "maps";
    shown.values.assign(s.c, -INFINITY);
    for (long i = 0; i < s.size(); ++i) shown.values[i % s.c] = std::max(shown.values[i % s.c], a[i]);
    shown.output_min = signed_maps ? -extent : 0.0f;
    shown.output_max = signed_maps ? extent : hi;
    app.shown.feature_maps = true;
    return;
  }
  // Bars: one per unit (the softmax's probabilities after the last layer).
  const int n = static_cast<int>(s.size());
  std::vector<float> v(a, a + n);
  if (last) v.assign(app.prediction.probabilities.begin(), app.prediction.probabilities.begin() + std::min(n, 10));
  float lo = 0, hi = 1e-6f;
  for (float x : v) {
    lo = std::min(lo, x);
    hi = std::max(hi, x);
  }
  if (last) hi = 1.0f;
  text_wrapped(last ? "softmax of the output for the drawing (%d classes)" : "output for the drawing: %d units (%.3g .. %.3g)", n, lo, hi);
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const float w = ImGui::GetContentRegionAvail().x;
  const float height = last ? n * ImGui::GetTextLineHeight() : ImGui::GetFontSize() * 5;
  const ImVec2 p0 = ImGui::GetCursorScreenPos();
  ImGui::Dummy(ImVec2(w, height));
  if (last) {  // labelled bars, one line each
    for (int k = 0; k < n; ++k) {
      const float y = p0.y + k * ImGui::GetTextLineHeight();
      char text[32];
      std::snprintf(text, sizeof text, "%d %5.1f%%", k, 100 * v[k]);
      dl->AddText(ImVec2(p0.x, y), ImGui::GetColorU32(ImGuiCol_Text), text);
      const float x0 = p0.x + ImGui::CalcTextSize("0 100.0% ").x;
      dl->AddRectFilled(ImVec2(x0, y + 2), ImVec2(x0 + (w - (x0 - p0.x)) * v[k], y + ImGui::GetTextLineHeight() - 2),
                        IM_COL32(110, 200, 120, 255));
    }
  } else {  // columns around a zero line
    const float zero = p0.y + height * (hi / std::max(hi - lo, 1e-6f));
    const float bar = w / n;
    dl->AddLine(ImVec2(p0.x, zero), ImVec2(p0.x + w, zero), ImGui::GetColorU32(ImGuiCol_TextDisabled));
    for (int k = 0; k < n; ++k) {
      const float top = zero - (v[k] / std::max(hi - lo, 1e-6f)) * height;
      dl->AddRectFilled(ImVec2(p0.x + k * bar, std::min(top, zero)), ImVec2(p0.x + (k + 1) * bar - (bar > 3 ? 1 : 0), std::max(top, zero)),
                        v[k] >= 0 ? IM_COL32(110, 160, 230, 255) : IM_COL32(230, 120, 100, 255));
    }
  }
  shown.output_view = last ? "softmax" : "bars";
  shown.values = v;
  shown.output_min = lo;
  shown.output_max = hi;
  app.shown.feature_maps = true;
}

// The layer's weights on a symmetric colour scale (white 0, blue < 0 < red).
void weights_view(AppState& app, PanelTextures& tex, const Model& model, int layer, bool rebuild) {
  Shown::Inspect& shown = app.shown.inspect;
  InspectState& s = app.inspect;
  const TensorInfo* weight = tensor(model, layer, "weight");
  const LayerSpec& spec = model.spec().layers[layer];
  if (!weight || !(spec.is<Conv2dParams>() || spec.is<DenseParams>())) {
    ImGui::TextDisabled(weight ? "This layer's parameters are not an image." : "This layer has no weights.");
    return;
  }
  const float* w = model.params() + weight->offset;
  int &ah = tex.filters_h, &aw = tex.filters_w;
  std::vector<std::vector<float>> images;
  int h = 0, wd = 0, cols = kMapColumns;
  std::string title;
  if (spec.is<Conv2dParams>()) {  // (KH, KW, C, OC): OC filters of one input channel
    const int KH = weight->shape[0], KW = weight->shape[1], C = weight->shape[2], OC = weight->shape[3];
    if (C > 1) ImGui::SliderInt("input channel", &s.channel, 0, C - 1);
    s.channel = std::clamp(s.channel, 0, C - 1);
    h = KH, wd = KW;
    images.assign(OC, std::vector<float>(static_cast<size_t>(KH) * KW));
    for (int o = 0; o < OC; ++o)
      for (int i = 0; i < KH * KW; ++i) images[o][i] = w[(static_cast<long>(i) * C + s.channel) * OC + o];
    char text[96];
    std::snprintf(text, sizeof text, "%d filters of %dx%d, input channel %d of %d", OC, KH, KW, s.channel + 1, C);
    title = text;
    shown.weights_view = "filters";
  } else {  // (in, out): a unit's weights as the image the layer reads
    const int in = weight->shape[0], out = weight->shape[1];
    const Shape3 image = dense_input_image(model, layer);
    const bool as_image = image.size() == in && image.h * image.w > 1;
    char text[128];
    if (as_image && image.c == 1) {  // every unit as a template of the input image
      const int n = std::min(out, kMaxTemplates);
      h = image.h, wd = image.w, cols = std::min(10, n);
      images.assign(n, std::vector<float>(static_cast<size_t>(in)));
      for (int o = 0; o < n; ++o)
        for (int i = 0; i < in; ++i) images[o][i] = w[static_cast<long>(i) * out + o];
      std::snprintf(text, sizeof text, "%d units' weights as %dx%d templates%s", n, image.h, image.w, n < out ? " (the first ones)" : "");
      shown.weights_view = "templates";
    } else {  // one unit, its weights as one map per input channel (or a row of numbers)
      ImGui::SliderInt("unit", &s.unit, 0, out - 1);
      s.unit = std::clamp(s.unit, 0, out - 1);
      const Shape3 shape = as_image ? image : Shape3{1, in, 1};
      h = shape.h, wd = shape.w, cols = std::min(kMapColumns, shape.c);
      images.assign(shape.c, std::vector<float>(static_cast<size_t>(shape.h) * shape.w));
      for (int c = 0; c < shape.c; ++c)
        for (int i = 0; i < shape.h * shape.w; ++i) images[c][i] = w[(static_cast<long>(i) * shape.c + c) * out + s.unit];
      std::snprintf(text, sizeof text, "unit %d's %d weights%s", s.unit, in,
                    as_image ? (" as the " + std::to_string(shape.h) + "x" + std::to_string(shape.w) + "x" + std::to_string(shape.c) +
                                " input it reads").c_str()
                             : "");
      shown.weights_view = "unit";
    }
    title = text;
  }
  float extent = 1e-6f;
  for (const auto& im : images)
    for (float v : im) extent = std::max(extent, std::fabs(v));
  if (rebuild) {
    std::vector<float> atlas = tile(static_cast<int>(images.size()), h, wd, cols, images, &ah, &aw, 0.0f);
    tex.filters.upload(atlas.data(), ah, aw, -extent, extent);
  }
  text_wrapped("weights: %s (blue %.3g < 0 < red %.3g)", title.c_str(), -extent, extent);
  show_atlas(tex.filters, ah, aw, Colormap::diverging, ImGui::GetFontSize() * 40);
  shown.weight_extent = extent;
}

// The layer's weights over training: mean |w| and |grad| / |w| at each progress report.
void statistics_view(AppState& app, int layer) {
  const auto it = app.history.layers.find(layer);
  if (it == app.history.layers.end() || it->second.step.empty()) {
    if (app.history.layers.empty()) ImGui::TextDisabled("Its weight and gradient statistics appear while a run trains.");
    return;
  }
  const History::LayerCurves& c = it->second;
  const float spe = static_cast<float>(std::max(1L, app.progress.steps_per_epoch));
  const float planned = static_cast<float>(std::max(app.progress.epochs, 1));
  const float w = ImGui::GetContentRegionAvail().x, h = ImGui::GetFontSize() * 6;
  float w_max = 1e-6f, r_max = 1e-9f;
  for (float v : c.weight) w_max = std::max(w_max, v);
  for (float v : c.ratio) r_max = std::max(r_max, v);
  text_wrapped("over training: mean |w| now %.4g; mean |grad| / mean |w| now %.3g (near 0: the layer has stopped "
                     "learning; growing: it explodes)", c.weight.back(), c.ratio.back());
  line_chart("layer-weight", {{"mean |w|", &c.step, &c.weight, IM_COL32(90, 170, 255, 255), false, 1 / spe}},
             {"epoch", planned, spe, 0.0f, w_max * 1.1f, false}, ImVec2(w, h));
  line_chart("layer-ratio", {{"mean |grad| / mean |w|", &c.step, &c.ratio, IM_COL32(255, 160, 60, 255), false, 1 / spe}},
             {"epoch", planned, spe, 0.0f, r_max * 1.1f, false}, ImVec2(w, h));
  app.shown.inspect.statistics = static_cast<int>(c.step.size());
}

}  // namespace

void inspect_panel(AppState& app, PanelTextures& tex) {
  const Model& model = app.inference.model();
  Shown::Inspect& shown = app.shown.inspect;
  shown = Shown::Inspect{};
  app.shown.feature_maps = false;
  if (model.num_layers() == 0) return;
  why_panel(app, tex);
  InspectState& s = app.inspect;
  s.layer = std::clamp(s.layer, 0, model.num_layers() - 1);
  layer_list(app, model);
  const int layer = s.layer;
  const Shape3 out = model.shape_after(layer);
  shown.layer = layer;
  shown.name = describe(model.spec().layers[layer]);
  shown.shape = {out.h, out.w, out.c};
  shown.params = trainable_params(model, layer);
  // The textures follow the weights, the drawing and the choices.
  const unsigned key = ((app.inference.version() * 7919u + app.pad.version()) * 31u + static_cast<unsigned>(layer)) * 131u +
                       static_cast<unsigned>(s.channel * 1024 + s.unit);
  const bool rebuild = key != tex.inspect_key;
  tex.inspect_key = key;
  ImGui::Separator();
  ImGui::Text("layer %d: %s", layer + 1, shown.name.c_str());
  output_view(app, tex, model, layer, rebuild);
  weights_view(app, tex, model, layer, rebuild);
  if (tensor(model, layer, "weight")) statistics_view(app, layer);
}

}  // namespace dt
