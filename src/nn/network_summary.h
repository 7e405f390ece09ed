// What an architecture amounts to before anything is allocated: each layer's output shape,
// trainable parameters and forward multiply-adds per image, the whole network's totals, an
// estimate of the memory training it takes, and the first thing that makes it unusable, at the
// layer where it happens. The page's network editor shows it after every edit.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "nn/spec.h"

namespace dt {

struct LayerSummary {
  std::string name;   // "conv2d 32 3x3 valid"
  Shape3 out;         // its output per image
  long params = 0;    // trainable (weights, biases, batch norm's gamma and beta)
  double flops = 0;   // forward floating-point operations per image (a multiply-add is 2)
};

struct NetworkSummary {
  std::vector<LayerSummary> layers;  // every layer that builds, in order
  long params = 0;
  double flops = 0;                  // forward, per image; a training step is about 3x
  int64_t training_bytes = 0;        // about what training at the given batch takes
  int error_layer = -1;              // the layer the error is at, -1 for none (or the whole network)
  std::string error;                 // what makes it unusable, in words; "" when it is fine
  bool ok() const { return error.empty(); }
};

// `classes`: the values the last layer must give (one per class). `batch` and `max_bytes`: the
// batch it would train with and the memory training may take (params, gradients, two optimiser
// moments, and each layer's outputs kept and differentiated for every image of a batch).
NetworkSummary summarize(const ModelSpec& spec, int classes, int batch, int64_t max_bytes);

}  // namespace dt
