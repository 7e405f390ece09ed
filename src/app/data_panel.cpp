// Data at a glance: what a run with the Train panel's settings would train on, before it
// starts. The worker answers a `samples` command with the split's per-class counts (training
// and validation parts, as the run will split them) and a page of training samples as a batch
// assembles them, the augmentation applied, so that turning augmentation on shows what
// rotation, zoom and shift do. Asked for when the section is open and the settings change.
#include <algorithm>
#include <cstdio>

#include "app/commands.h"
#include "app/panels.h"
#include "app/word_wrap.h"
#include "data/dataset_info.h"
#include "util/digit_shape.h"

namespace dt {

namespace {

constexpr int kSamples = 24, kPerRow = 8;

}  // namespace

void data_panel(AppState& app, PanelTextures& tex) {
  DataGlance& d = app.data_glance;
  app.shown.data = Shown::Data{};
  const bool open = ImGui::CollapsingHeader("Data at a glance");
  note_item_rect(app, "Data at a glance");
  if (!open) return;
  const std::string dataset = app.datasets[std::clamp(app.settings.dataset, 0, static_cast<int>(app.datasets.size()) - 1)];
  bool fresh = false;
  if (ImGui::Button("New samples")) {
    ++d.seed;
    fresh = true;
  }
  note_item_rect(app, "New samples");
  // Sent again when the settings it depends on change (or once the worker is ready).
  const std::string command = commands::samples(app.settings, dataset, d.seed, kSamples);
  if (app.worker_ready && (command != d.requested || fresh)) {
    d.requested = command;
    d.answered = false;
    send_command(command);
  }
  if (!d.answered) {
    ImGui::TextDisabled("asking the worker...");
    return;
  }
  if (!d.error.empty()) {
    text_wrapped("%s", d.error.c_str());
    return;
  }
  const DatasetInfo& names = dataset_info(d.dataset);
  long train = 0, val = 0;
  for (int k = 0; k < 10; ++k) {
    train += d.train_counts[k];
    val += d.val_counts[k];
  }
  app.shown.data.dataset = d.dataset;
  app.shown.data.train_counts = d.train_counts;
  app.shown.data.val_counts = d.val_counts;
  const Augment& aug = d.augment;
  app.shown.data.augmented = aug.enabled();
  app.shown.data.elastic = aug.elastic_alpha;
  text_wrapped("%s: %ld training images%s", names.title, train,
                     val ? (", " + std::to_string(val) + " held out for validation").c_str() : ", none held out");
  if (ImGui::BeginTable("class-counts", 3, ImGuiTableFlags_Borders | ImGuiTableFlags_SizingStretchProp)) {
    ImGui::TableSetupColumn("class");
    ImGui::TableSetupColumn("train");
    ImGui::TableSetupColumn("validation");
    ImGui::TableHeadersRow();
    for (int k = 0; k < 10; ++k) {
      ImGui::TableNextRow();
      ImGui::TableNextColumn();
      ImGui::Text("%d %s", k, std::string(names.classes[0]) != "0" ? names.classes[k] : "");
      ImGui::TableNextColumn();
      ImGui::Text("%ld", d.train_counts[k]);
      ImGui::TableNextColumn();
      ImGui::Text("%ld", d.val_counts[k]);
    }
    ImGui::EndTable();
  }
  const int n = static_cast<int>(d.labels.size());
  if (n == 0) return;
  if (aug.enabled()) {
    char elastic[96] = "";
    if (aug.elastic_alpha > 0)
      std::snprintf(elastic, sizeof elastic, ", elastically distorted (alpha %.0f, sigma %.0f pixels)",
                    aug.elastic_alpha, aug.elastic_sigma);
    text_wrapped("%d training samples as the network gets them: rotated up to %.0f degrees, zoomed up to %.0f%%, "
                       "shifted up to %.0f pixels%s (each time anew)", n, aug.rotate_degrees, 100 * aug.scale, aug.shift,
                       elastic);
  }
  else
    text_wrapped("%d training samples as the network gets them (no augmentation: tick it above to see what it does)", n);
  // One atlas of the samples, kPerRow across, with a gap between them.
  constexpr int S = kDigitSide;
  const int rows = (n + kPerRow - 1) / kPerRow;
  const int aw = kPerRow * (S + 1) - 1, ah = rows * (S + 1) - 1;
  if (tex.samples_key != d.version) {
    std::vector<unsigned char> atlas(static_cast<size_t>(aw) * ah, 40);
    for (int i = 0; i < n; ++i) {
      const int r = i / kPerRow, c = i % kPerRow;
      for (int y = 0; y < S; ++y)
        std::copy(d.images.begin() + (static_cast<size_t>(i) * S + y) * S, d.images.begin() + (static_cast<size_t>(i) * S + y + 1) * S,
                  atlas.begin() + static_cast<size_t>(r * (S + 1) + y) * aw + c * (S + 1));
    }
    tex.samples.upload_bytes(atlas.data(), ah, aw);
    tex.samples_key = d.version;
  }
  const float w = ImGui::GetContentRegionAvail().x, h = w * ah / aw;
  const ImVec2 p0 = ImGui::GetCursorScreenPos();
  ImGui::Dummy(ImVec2(w, h));
  draw_image(ImGui::GetWindowDrawList(), tex.samples, p0, ImVec2(p0.x + w, p0.y + h), Colormap::ink);
  if (ImGui::IsItemHovered()) {  // the class of the sample under the pointer
    const ImVec2 m = ImGui::GetIO().MousePos;
    const int c = static_cast<int>((m.x - p0.x) / w * kPerRow), r = static_cast<int>((m.y - p0.y) / h * rows);
    const int i = r * kPerRow + c;
    if (c >= 0 && c < kPerRow && i >= 0 && i < n) ImGui::SetTooltip("class %s", names.classes[d.labels[i]]);
  }
  app.shown.data.samples = n;
}

}  // namespace dt
