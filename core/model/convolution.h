#pragma once

#include <torch/nn/module.h>
#include <torch/nn/pimpl.h>

namespace sdm {

struct ConvolutionOptions {
  int dims;  // 1 (the attention's 1×1 projections) or 2
  int64_t in_channels, out_channels, kernel;
  int64_t stride = 1;
  int64_t padding = 0;
};

// A convolution with bias, registered as "weight" and "bias" like nn.Conv1d/nn.Conv2d, so the
// reference's state-dict names hold. Unlike torch::nn's, its parameters can be allocated without
// their random initialisation (SkipParameterInit) when a checkpoint will overwrite them.
class ConvolutionImpl : public torch::nn::Module {
public:
  explicit ConvolutionImpl(const ConvolutionOptions& options);
  torch::Tensor forward(const torch::Tensor& x);

  // The reference's zero_module: a new layer contributes nothing until trained.
  void zero_init();

  ConvolutionOptions options;
  torch::Tensor weight, bias;
  // Whether Winograd's transformed kernel (4× the weight) is kept between forwards; a layer that
  // runs once per picture transforms it each time instead.
  bool keeps_winograd_kernel = true;
  int64_t kept_winograd_kernel_bytes() const { return winograd_kernel_.defined() ? winograd_kernel_.nbytes() : 0; }

private:
  // The weight as Winograd's kernel (winograd_convolution.h), made at the first forward that can
  // use it and remade when the weight is replaced or written to (a checkpoint's copy_).
  const torch::Tensor& winograd_kernel_for_weight();
  torch::Tensor winograd_kernel_;
  const void* winograd_source_ = nullptr;
  int64_t winograd_version_ = -1;
};
TORCH_MODULE(Convolution);

// The common 2-D case: stride 1, padded so the output keeps the input's size.
Convolution same_conv2d(int64_t in_channels, int64_t out_channels, int64_t kernel);

}  // namespace sdm
