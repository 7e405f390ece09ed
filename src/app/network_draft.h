// The network editor's state changes, apart from its drawing (network_panel.cpp): the draft
// follows the chosen preset until it is edited, every edit recomputes what the layers amount to
// (nn/network_summary.h) and what Start sends, and a run or restored model that carries its own
// architecture becomes the draft.
#pragma once
#include <string>

#include "app/app_state.h"
#include "util/result.h"

namespace dt {

// Once per frame: a newly chosen preset starts the draft afresh from its layers; a new batch
// size renews the memory estimate.
void sync_network_draft(AppState& app);

// The draft becomes `spec` (an edit): the summary, the JSON text and the settings' architecture
// ("" when it is the preset's own layers, or when it cannot train: Start is then disabled)
// follow.
void set_network_draft(AppState& app, ModelSpec spec);

// The JSON text box's contents as the draft; on an error the draft stays and json_error says why.
Status apply_network_json(AppState& app);

// A run or restored model's architecture (a JSON object, as in a start config) as the draft.
Status take_network_architecture(AppState& app, const std::string& architecture_json);

}  // namespace dt
