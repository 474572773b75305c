#include "core/model/spade_group_norm.h"

#include "core/model/group_norm32.h"

#include <torch/torch.h>

namespace sdm {

namespace {
torch::nn::Conv2dOptions same_conv(int64_t in, int64_t out, int64_t kernel) {
  return torch::nn::Conv2dOptions(in, out, kernel).padding(kernel / 2);
}
}  // namespace

SpadeGroupNormImpl::SpadeGroupNormImpl(int64_t channels, int64_t label_channels, int64_t hidden, int64_t kernel)
    : mlp_shared_(register_module("mlp_shared", torch::nn::Sequential(torch::nn::Conv2d(same_conv(label_channels, hidden, kernel)),
                                                                      torch::nn::ReLU()))),
      mlp_gamma_(register_module("mlp_gamma", torch::nn::Conv2d(same_conv(hidden, channels, kernel)))),
      mlp_beta_(register_module("mlp_beta", torch::nn::Conv2d(same_conv(hidden, channels, kernel)))) {}

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
