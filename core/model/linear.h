#pragma once

#include <torch/nn/module.h>
#include <torch/nn/pimpl.h>

namespace sdm {

// y = x·Wᵀ + b, registered as "weight" and "bias" like nn.Linear; its parameters can be allocated
// without their random initialisation (SkipParameterInit), as Convolution's.
class LinearImpl : public torch::nn::Module {
public:
  LinearImpl(int64_t in_features, int64_t out_features);
  torch::Tensor forward(const torch::Tensor& x);

  torch::Tensor weight, bias;
};
TORCH_MODULE(Linear);

}  // namespace sdm
