#include "train/augment_json.h"

namespace dt {

nlohmann::json augment_json(const Augment& a) {
  nlohmann::json j{{"rotate", a.rotate_degrees}, {"scale", a.scale}, {"shift", a.shift}};
  if (a.elastic_alpha > 0) {
    j["elastic"] = a.elastic_alpha;
    j["elastic_sigma"] = a.elastic_sigma;
  }
  return j;
}

}  // namespace dt
