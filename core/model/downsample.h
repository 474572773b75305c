#pragma once

#include <torch/nn/module.h>
#include <torch/nn/pimpl.h>

#include "core/model/convolution.h"

namespace sdm {

// A stride-2 3×3 conv (the encoder's `Downsample` when resblock_updown is off).
// `downsample_avg2x` is the parameter-free 2×2 average pool used inside down-sampling ResBlocks.
class DownsampleImpl : public torch::nn::Module {
public:
  explicit DownsampleImpl(int64_t channels);
  torch::Tensor forward(const torch::Tensor& x);

private:
  Convolution op_;
};
TORCH_MODULE(Downsample);

torch::Tensor downsample_avg2x(const torch::Tensor& x);

}  // namespace sdm
