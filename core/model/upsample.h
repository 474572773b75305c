#pragma once

#include <torch/nn/module.h>
#include <torch/nn/pimpl.h>

#include "core/model/convolution.h"

namespace sdm {

// Nearest-neighbour ×2 up-sampling followed by a 3×3 conv (the decoder's `Upsample` when
// resblock_updown is off). `upsample_nearest2x` is the parameter-free part, also used in ResBlocks.
class UpsampleImpl : public torch::nn::Module {
public:
  explicit UpsampleImpl(int64_t channels);
  torch::Tensor forward(const torch::Tensor& x);

private:
  Convolution conv_;
};
TORCH_MODULE(Upsample);

torch::Tensor upsample_nearest2x(const torch::Tensor& x);

}  // namespace sdm
