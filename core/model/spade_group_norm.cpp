#include "core/model/spade_group_norm.h"

#include "core/model/group_norm32.h"

#include <torch/torch.h>

namespace sdm {

SpadeGroupNormImpl::SpadeGroupNormImpl(int64_t channels, int64_t label_channels, int64_t hidden, int64_t kernel)
    : mlp_shared_(register_module("mlp_shared", torch::nn::Sequential(same_conv2d(label_channels, hidden, kernel),
                                                                      torch::nn::ReLU()))),
      mlp_gamma_(register_module("mlp_gamma", same_conv2d(hidden, channels, kernel))),
      mlp_beta_(register_module("mlp_beta", same_conv2d(hidden, channels, kernel))) {}

torch::Tensor SpadeGroupNormImpl::forward(const torch::Tensor& x, LabelConditioning& labels) {
  auto normalized = torch::group_norm(x.to(torch::kFloat), kGroupNormGroups).to(x.scalar_type());
  const int64_t height = x.size(2), width = x.size(3);
  if (const auto* cached = labels.cached(this, height, width)) return normalized * cached->first + cached->second;
  auto actv = mlp_shared_->forward(torch::upsample_nearest2d(labels.labels().to(x.scalar_type()), {height, width}));
  auto scale = 1 + mlp_gamma_(actv), shift = mlp_beta_(actv);
  labels.remember(this, height, width, scale, shift);
  return normalized * scale + shift;
}

}  // namespace sdm
