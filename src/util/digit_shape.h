// The shape of the data digitrain learns from: 28x28 single-channel images of 10 classes
// (MNIST digits, Fashion-MNIST garments). Defined once; everything that assumes it says so by
// using these names.
#pragma once

namespace dt {

constexpr int kClasses = 10;
constexpr int kDigitSide = 28;
constexpr int kDigitPixels = kDigitSide * kDigitSide;

}  // namespace dt
