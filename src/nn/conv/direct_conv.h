// conv2d of a one-channel input as a direct convolution (kernels/direct_conv.h): a network's
// first layer on grey-scale images, where im2col + GEMM builds a matrix of single floats and
// multiplies it at a depth of only KH*KW. The registry chooses it where it was measured faster
// (direct_conv.cpp says where, per build); the tests build it directly for every shape it can
// compute.
#pragma once
#include <memory>

#include "nn/conv/conv_algorithm.h"

namespace dt {

// Whether it can compute this geometry at all: one input channel (any kernel, stride, padding).
bool direct_conv_applies(const ConvGeometry& g);

// Whether it is the faster algorithm for this shape in this build (what the registry asks).
bool direct_conv_pays(const ConvGeometry& g, int out_channels);

std::unique_ptr<ConvAlgorithm> make_direct_conv(const ConvGeometry& g, int out_channels);

}  // namespace dt
