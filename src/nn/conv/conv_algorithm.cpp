#include "nn/conv/conv_algorithm.h"

namespace dt {

// Defined in a file the build writes: it calls every *_conv.cpp file's register function.
void register_all_conv_algorithms(ConvAlgorithms& algorithms);

std::unique_ptr<ConvAlgorithm> ConvAlgorithms::choose(const ConvGeometry& g, int out_channels) const {
  const Entry* best = nullptr;
  for (const Entry& e : entries_)
    if (e.supports(g, out_channels) && (!best || e.preference > best->preference)) best = &e;
  return best ? best->make(g, out_channels) : nullptr;
}

const ConvAlgorithms& conv_algorithms() {
  static const ConvAlgorithms algorithms = [] {
    ConvAlgorithms a;
    register_all_conv_algorithms(a);
    return a;
  }();
  return algorithms;
}

}  // namespace dt
