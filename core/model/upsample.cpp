#include "core/model/upsample.h"

#include <torch/torch.h>

namespace sdm {

UpsampleImpl::UpsampleImpl(int64_t channels)
    : conv_(register_module("conv", same_conv2d(channels, channels, 3))) {}

torch::Tensor UpsampleImpl::forward(const torch::Tensor& x) { return conv_(upsample_nearest2x(x)); }

torch::Tensor upsample_nearest2x(const torch::Tensor& x) {
  return torch::upsample_nearest2d(x, {x.size(2) * 2, x.size(3) * 2});
}

}  // namespace sdm
