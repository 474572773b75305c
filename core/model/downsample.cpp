#include "core/model/downsample.h"

#include <torch/torch.h>

namespace sdm {

DownsampleImpl::DownsampleImpl(int64_t channels)
    : op_(register_module("op", Convolution(ConvolutionOptions{2, channels, channels, 3, 2, 1}))) {}

torch::Tensor DownsampleImpl::forward(const torch::Tensor& x) { return op_(x); }

torch::Tensor downsample_avg2x(const torch::Tensor& x) { return torch::avg_pool2d(x, 2, 2); }

}  // namespace sdm
