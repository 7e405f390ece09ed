// The datasets digitrain knows by name, and what their ten classes are called: the UI speaks
// of trousers, not of class 1, when the model was trained on Fashion-MNIST.
#pragma once
#include <array>
#include <string>
#include <vector>

namespace dt {

struct DatasetInfo {
  const char* name;                    // as the CLI's --dataset and the page's start config say it
  const char* title;                   // for people: "Fashion-MNIST"
  const char* draw_prompt;             // what the drawing pad asks for
  std::array<const char*, 10> classes;
};

// The known datasets, MNIST first.
const std::vector<DatasetInfo>& known_datasets();

// The dataset called `name`; an unknown name gets MNIST's digits (classes 0-9), which is what
// a model file without a dataset is assumed to be.
const DatasetInfo& dataset_info(const std::string& name);

// "mnist or fashion", for messages that list the choices.
std::string dataset_choices();

bool is_known_dataset(const std::string& name);

}  // namespace dt
