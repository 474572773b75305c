#include "core/model/group_norm32.h"

#include <torch/torch.h>

namespace sdm {

GroupNorm32Impl::GroupNorm32Impl(int64_t channels)
    : weight_(register_parameter("weight", torch::ones({channels}))),
      bias_(register_parameter("bias", torch::zeros({channels}))) {}

torch::Tensor GroupNorm32Impl::forward(const torch::Tensor& x) {
  return torch::group_norm(x.to(torch::kFloat), kGroupNormGroups, weight_.to(torch::kFloat), bias_.to(torch::kFloat))
      .to(x.scalar_type());
}

}  // namespace sdm
