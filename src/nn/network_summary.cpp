#include "nn/network_summary.h"

#include <string>

namespace dt {

namespace {

std::string megabytes(int64_t bytes) { return std::to_string((bytes + (1 << 20) - 1) >> 20) + " MB"; }

}  // namespace

NetworkSummary summarize(const ModelSpec& spec, int classes, int batch, int64_t max_bytes) {
  NetworkSummary out;
  // The parameter count first, by counting: a layer of a billion weights must not be built.
  Result<uint64_t> counted = count_parameters(spec, static_cast<uint64_t>(max_bytes / 16));
  Shape3 shape{spec.height, spec.width, spec.channels};
  int64_t activations = shape.size();  // floats per image kept for the backward pass
  for (size_t i = 0; i < spec.layers.size(); ++i) {
    auto layer = spec.layers[i].build(shape);
    if (!layer) {
      out.error_layer = static_cast<int>(i);
      out.error = layer.error();
      return out;
    }
    LayerSummary row{describe(spec.layers[i]), (*layer)->out_shape()};
    for (const ParamInfo& p : (*layer)->params()) {
      if (!p.trainable) continue;
      row.params += p.size();
      // A weight tensor (rank 2 or more) is applied once per output position: a dense layer's
      // once, a convolution's at every pixel it writes.
      if (p.shape.size() >= 2) row.flops += 2.0 * static_cast<double>(p.size()) * row.out.h * row.out.w;
    }
    if (row.flops == 0) row.flops = static_cast<double>(row.out.size());  // elementwise: one per value
    shape = row.out;
    activations += shape.size();
    out.params += row.params;
    out.flops += row.flops;
    out.layers.push_back(std::move(row));
    if (!counted && counted.error().rfind("layer " + std::to_string(i) + " ", 0) == 0) {
      out.error_layer = static_cast<int>(i);
      out.error = counted.error();
      return out;
    }
  }
  if (out.layers.empty()) {
    out.error = "the network has no layers";
    return out;
  }
  if (shape.size() != classes) {
    out.error_layer = static_cast<int>(out.layers.size()) - 1;
    out.error = "the last layer gives " + shape_text(shape) + " = " + std::to_string(shape.size()) +
                " values per image; it must give one per class (" + std::to_string(classes) + "): end with a dense " +
                std::to_string(classes);
    return out;
  }
  // Parameters with their gradients and two optimiser moments; per image of the batch, every
  // layer's output kept, its gradient and as much again for what layers save.
  out.training_bytes = 16 * static_cast<int64_t>(out.params) + int64_t{12} * activations * batch;
  if (out.training_bytes > max_bytes) {
    out.error = "training it at batch " + std::to_string(batch) + " takes about " + megabytes(out.training_bytes) +
                ", more than the " + megabytes(max_bytes) + " the page can use: use fewer or smaller layers, or a smaller batch";
  }
  return out;
}

}  // namespace dt
