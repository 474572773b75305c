#include "core/model/downsample.h"

#include <torch/torch.h>

namespace sdm {

DownsampleImpl::DownsampleImpl(int64_t channels)
    : op_(register_module("op", torch::nn::Conv2d(torch::nn::Conv2dOptions(channels, channels, 3).stride(2).padding(1)))) {}

torch::Tensor DownsampleImpl::forward(const torch::Tensor& x) { return op_(x); }

torch::Tensor downsample_avg2x(const torch::Tensor& x) { return torch::avg_pool2d(x, 2, 2); }

}  // namespace sdm
