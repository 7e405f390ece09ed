// conv2d as Winograd F(2x2,3x3) (kernels/winograd.h): 3x3 stride-1 convolutions, 'valid' or
// 'same', with 2.25x fewer multiplies than im2col + GEMM. The registry chooses it only for the
// shapes where it was measured faster (winograd_conv.cpp says which, per build); the tests
// build it directly for every shape it can compute.
#pragma once
#include <memory>

#include "nn/conv/conv_algorithm.h"

namespace dt {

// Whether F(2x2,3x3) can compute this geometry at all: a 3x3 kernel at stride 1.
bool winograd_conv_applies(const ConvGeometry& g);

// Whether it is the faster algorithm for this shape in this build (what the registry asks).
bool winograd_conv_pays(const ConvGeometry& g, int out_channels);

std::unique_ptr<ConvAlgorithm> make_winograd_conv(const ConvGeometry& g, int out_channels);

}  // namespace dt
