// How a conv2d layer computes its passes: the slot where convolution algorithms plug in.
//
// The conv2d layer (nn/layers/conv2d_layer.cpp) owns the parameters (weight (KH,KW,C,OC),
// then bias (OC)), the initialisation and the shapes; an algorithm owns the arithmetic and the
// buffers it needs. Each algorithm is a file in this folder named *_conv.cpp that registers
// itself in register_<file name>() (the build calls them all, as for layers) with a
// preference and the geometries it supports; a layer takes the most preferred algorithm that
// supports its shape. im2col + GEMM supports every shape; a faster special case (Winograd for
// 3x3 stride 1, a direct kernel for tiny channel counts) is a new file with a higher
// preference.
#pragma once
#include <memory>
#include <vector>

#include "kernels/im2col.h"  // ConvGeometry
#include "nn/layer.h"

namespace dt {

class ConvAlgorithm {
 public:
  virtual ~ConvAlgorithm() = default;
  virtual const char* name() const = 0;
  // Floats kept from forward to backward, and free for the duration of one call, for n samples.
  virtual long saved_floats(int n) const = 0;
  virtual long scratch_floats(int n) const = 0;
  // The layer's passes (see nn/layer.h): forward writes p.out and p.saved; backward
  // accumulates the weight and bias gradients into p.grads and overwrites p.din when set.
  virtual void forward(const Pass& p) const = 0;
  virtual void backward(const Pass& p) const = 0;
};

class ConvAlgorithms {
 public:
  struct Entry {
    const char* name;
    int preference;  // higher wins among those that support a shape
    bool (*supports)(const ConvGeometry& g, int out_channels);
    std::unique_ptr<ConvAlgorithm> (*make)(const ConvGeometry& g, int out_channels);
  };
  void add(const Entry& e) { entries_.push_back(e); }
  // The most preferred algorithm that supports the shape (im2col + GEMM supports them all).
  std::unique_ptr<ConvAlgorithm> choose(const ConvGeometry& g, int out_channels) const;
  const std::vector<Entry>& entries() const { return entries_; }

 private:
  std::vector<Entry> entries_;
};

// Every algorithm, registered once on first use and immutable afterwards.
const ConvAlgorithms& conv_algorithms();

}  // namespace dt
