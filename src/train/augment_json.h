// An augmentation as JSON, in the one form every writer uses: the page's worker (settings and
// data previews; the page's start config reads the same keys back), the run checkpoint's
// config and `digitrain presets --json`:
//   {rotate, scale, shift[, elastic, elastic_sigma]}
// The elastic keys appear only when the distortion is on, so configs written before it existed
// read the same.
#pragma once
#include <nlohmann/json.hpp>

#include "data/augment.h"

namespace dt {

nlohmann::json augment_json(const Augment& a);

}  // namespace dt
