// Turning what was drawn on the pad into the 28x28 image the network expects, the way the
// MNIST digits themselves were made (LeCun et al.): the ink's bounding box is scaled to fit
// 20x20 keeping its aspect ratio, with area averaging (anti-aliased), and the result is placed
// in a 28x28 field so that its centre of mass sits at the centre. Pure arithmetic, no UI.
#pragma once
#include <array>

#include "util/digit_shape.h"

namespace dt {

constexpr int kDigitBox = 20;
using DigitImage = std::array<float, kDigitSide * kDigitSide>;  // (28, 28) row-major, [0,1]

// pad (size, size) ink coverage in [0,1]. Returns all zeros for an empty pad.
DigitImage mnist_from_pad(const float* pad, int size);

// Centre of mass (x, y) of a (h, w) image in pixel-centre coordinates; (w/2, h/2) if empty.
void centre_of_mass(const float* img, int h, int w, float* cx, float* cy);

}  // namespace dt
