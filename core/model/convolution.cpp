#include "core/model/convolution.h"

#include "core/model/parameter_init.h"
#include "core/model/winograd_convolution.h"

#include <torch/torch.h>

namespace sdm {

ConvolutionImpl::ConvolutionImpl(const ConvolutionOptions& o) : options(o) {
  std::vector<int64_t> shape{o.out_channels, o.in_channels};
  shape.insert(shape.end(), o.dims, o.kernel);
  weight = register_parameter("weight", torch::empty(shape));
  bias = register_parameter("bias", torch::empty({o.out_channels}));
  init_default_parameters(weight, bias);
}

void ConvolutionImpl::zero_init() { init_zero_parameters(weight, bias); }

torch::Tensor ConvolutionImpl::forward(const torch::Tensor& x) {
  if (options.dims == 1) return torch::conv1d(x, weight, bias, options.stride, options.padding);
  if (options.stride == 1 && options.padding == 1 && winograd_applies(x, weight))
    return winograd_conv3x3(x, keeps_winograd_kernel ? winograd_kernel_for_weight() : winograd_kernel(weight), bias);
  // Every list spelled out for both sides: LibTorch's FLOP counter (sdm bench) reads only those.
  return torch::conv2d(x, weight, bias, {options.stride, options.stride}, {options.padding, options.padding}, {1, 1});
}

const torch::Tensor& ConvolutionImpl::winograd_kernel_for_weight() {
  if (!winograd_kernel_.defined() || winograd_source_ != weight.data_ptr() || winograd_version_ != weight._version()) {
    winograd_kernel_ = winograd_kernel(weight);
    winograd_source_ = weight.data_ptr();
    winograd_version_ = weight._version();
  }
  return winograd_kernel_;
}

Convolution same_conv2d(int64_t in_channels, int64_t out_channels, int64_t kernel) {
  return Convolution(ConvolutionOptions{2, in_channels, out_channels, kernel, 1, kernel / 2});
}

}  // namespace sdm
