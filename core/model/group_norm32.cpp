#include "core/model/group_norm32.h"

#include <torch/torch.h>

#include <algorithm>

namespace sdm {

GroupNorm32Impl::GroupNorm32Impl(int64_t channels)
    : weight_(register_parameter("weight", torch::ones({channels}))),
      bias_(register_parameter("bias", torch::zeros({channels}))) {}

namespace {
// Groups normalised together in half precision: 4 of 32 keep a 512-channel 256² slice at 32 MB.
constexpr int64_t kGroupsPerChunk = 4;
}  // namespace

torch::Tensor group_norm_in_float32(const torch::Tensor& x, const torch::Tensor& weight, const torch::Tensor& bias) {
  auto in_float = [](const torch::Tensor& t) { return t.defined() ? t.to(torch::kFloat) : t; };
  if (x.scalar_type() == torch::kFloat || torch::GradMode::is_enabled())
    return torch::group_norm(x.to(torch::kFloat), kGroupNormGroups, in_float(weight), in_float(bias)).to(x.scalar_type());
  auto out = torch::empty_like(x);
  const int64_t group_channels = x.size(1) / kGroupNormGroups, chunk = group_channels * kGroupsPerChunk;
  for (int64_t n = 0; n < x.size(0); ++n)
    for (int64_t c = 0; c < x.size(1); c += chunk) {
      const int64_t channels = std::min(chunk, x.size(1) - c);
      auto slice = [&](const torch::Tensor& t) { return t.defined() ? in_float(t.narrow(0, c, channels)) : t; };
      out.narrow(0, n, 1).narrow(1, c, channels)
          .copy_(torch::group_norm(x.narrow(0, n, 1).narrow(1, c, channels).to(torch::kFloat), channels / group_channels,
                                   slice(weight), slice(bias)));
    }
  return out;
}

torch::Tensor GroupNorm32Impl::forward(const torch::Tensor& x, const NormEpilogue& epilogue) {
  if (fused_group_norm_applies(x)) return fused_group_norm(x, kGroupNormGroups, weight_, bias_, {}, epilogue);
  return apply_epilogue(group_norm_in_float32(x, weight_, bias_), epilogue);
}

}  // namespace sdm
