#include "app/network_draft.h"

#include <algorithm>
#include <cstring>

#include "recipe/presets.h"
#include "util/digit_shape.h"
#include "util/page_memory.h"

namespace dt {

namespace {

void summarize_draft(AppState& app) {
  NetworkDraft& d = app.network;
  d.summary = summarize(d.spec, kClasses, std::max(1, app.settings.batch), kPageTrainingBytes);
  d.summary_batch = app.settings.batch;
  app.settings.architecture = d.edited && d.summary.ok() ? to_json(d.spec) : "";
}

void show_json(NetworkDraft& d) {
  const std::string text = to_json(d.spec);
  const size_t n = std::min(text.size(), d.json.size() - 1);
  std::memcpy(d.json.data(), text.data(), n);
  d.json[n] = '\0';
  d.json_error.clear();
}

}  // namespace

void sync_network_draft(AppState& app) {
  NetworkDraft& d = app.network;
  const int preset = std::clamp(app.settings.preset, 0, static_cast<int>(presets().size()) - 1);
  if (d.preset != preset) {
    d.preset = preset;
    d.spec = presets()[preset].model;
    d.edited = false;
    summarize_draft(app);
    show_json(d);
  } else if (d.summary_batch != app.settings.batch) {
    summarize_draft(app);
  }
}

void set_network_draft(AppState& app, ModelSpec spec) {
  NetworkDraft& d = app.network;
  sync_network_draft(app);
  d.spec = std::move(spec);
  d.edited = to_json(d.spec) != to_json(presets()[d.preset].model);
  summarize_draft(app);
  show_json(d);
}

Status apply_network_json(AppState& app) {
  NetworkDraft& d = app.network;
  Result<ModelSpec> spec = model_spec_from_json(std::string(d.json.data()));
  if (!spec) {
    d.json_error = spec.error();
    return fail(spec.error());
  }
  set_network_draft(app, std::move(*spec));
  return Status::success();
}

Status take_network_architecture(AppState& app, const std::string& architecture_json) {
  Result<ModelSpec> spec = model_spec_from_json(architecture_json);
  if (!spec) return fail("architecture: " + spec.error());
  set_network_draft(app, std::move(*spec));
  return Status::success();
}

}  // namespace dt
