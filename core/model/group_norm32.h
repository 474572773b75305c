#pragma once

#include <torch/nn/module.h>
#include <torch/nn/pimpl.h>

#include "core/model/fused_group_norm.h"

namespace sdm {

// The reference's `normalization()` always splits channels into 32 groups.
inline constexpr int kGroupNormGroups = 32;

// GroupNorm(32) of `x` computed in float32 and returned in x's dtype, with a per-channel affine
// when `weight` and `bias` are given. For half-precision activations without autograd it runs
// a few groups of one picture at a time: the float32 copies of a whole 256² activation would
// be four times its bf16 size, a peak of their own. Groups are independent, so the result is
// the same.
torch::Tensor group_norm_in_float32(const torch::Tensor& x, const torch::Tensor& weight = {}, const torch::Tensor& bias = {});

// GroupNorm with 32 groups computed in float32 whatever the activations' dtype, as the
// reference's `normalization()` does, so half-precision models stay stable.
class GroupNorm32Impl : public torch::nn::Module {
public:
  explicit GroupNorm32Impl(int64_t channels);
  // The norm, then `epilogue` (in the same pass where fused_group_norm applies).
  torch::Tensor forward(const torch::Tensor& x, const NormEpilogue& epilogue = {});

private:
  torch::Tensor weight_, bias_;
};
TORCH_MODULE(GroupNorm32);

}  // namespace sdm
