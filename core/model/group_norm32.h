#pragma once

#include <torch/nn/module.h>
#include <torch/nn/pimpl.h>

namespace sdm {

// The reference's `normalization()` always splits channels into 32 groups.
inline constexpr int kGroupNormGroups = 32;

// GroupNorm with 32 groups computed in float32 whatever the activations' dtype, as the
// reference's `normalization()` does, so half-precision models stay stable.
class GroupNorm32Impl : public torch::nn::Module {
public:
  explicit GroupNorm32Impl(int64_t channels);
  torch::Tensor forward(const torch::Tensor& x);

private:
  torch::Tensor weight_, bias_;
};
TORCH_MODULE(GroupNorm32);

}  // namespace sdm
