#include "data/dataset_info.h"

namespace dt {

const std::vector<DatasetInfo>& known_datasets() {
  static const std::vector<DatasetInfo> kDatasets = {
      {"mnist", "MNIST", "draw a digit here", {"0", "1", "2", "3", "4", "5", "6", "7", "8", "9"}},
      // Zalando's label names, in label order.
      {"fashion",
       "Fashion-MNIST",
       "draw a trouser, a bag, a shoe...",
       {"T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"}},
  };
  return kDatasets;
}

const DatasetInfo& dataset_info(const std::string& name) {
  for (const DatasetInfo& d : known_datasets())
    if (name == d.name) return d;
  return known_datasets().front();
}

std::string dataset_choices() {
  std::string s;
  const auto& all = known_datasets();
  for (size_t i = 0; i < all.size(); ++i) s += (i == 0 ? "" : i + 1 == all.size() ? " or " : ", ") + std::string(all[i].name);
  return s;
}

bool is_known_dataset(const std::string& name) {
  for (const DatasetInfo& d : known_datasets())
    if (name == d.name) return true;
  return false;
}

}  // namespace dt
