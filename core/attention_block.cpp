#include "core/attention_block.h"

#include <torch/torch.h>

#include <cmath>

namespace sdm {

AttentionBlockImpl::AttentionBlockImpl(int64_t channels, int64_t heads, bool legacy_order)
    : heads_(heads),
      legacy_order_(legacy_order),
      norm_(register_module("norm", GroupNorm32(channels))),
      qkv_(register_module("qkv", torch::nn::Conv1d(torch::nn::Conv1dOptions(channels, channels * 3, 1)))),
      proj_out_(register_module("proj_out", torch::nn::Conv1d(torch::nn::Conv1dOptions(channels, channels, 1)))) {
  torch::NoGradGuard no_grad;  // starts as the identity, as the reference's zero_module
  proj_out_->weight.zero_();
  proj_out_->bias.zero_();
}

torch::Tensor AttentionBlockImpl::forward(const torch::Tensor& x) {
  const auto batch = x.size(0), channels = x.size(1);
  auto flat = x.reshape({batch, channels, -1});
  const auto length = flat.size(2);
  auto qkv = qkv_(norm_(flat));

  const int64_t head_channels = channels / heads_;
  torch::Tensor q, k, v;
  if (legacy_order_) {
    auto parts = qkv.reshape({batch * heads_, head_channels * 3, length}).split(head_channels, 1);
    q = parts[0], k = parts[1], v = parts[2];
  } else {
    auto parts = qkv.chunk(3, 1);
    q = parts[0].reshape({batch * heads_, head_channels, length});
    k = parts[1].reshape({batch * heads_, head_channels, length});
    v = parts[2].reshape({batch * heads_, head_channels, length});
  }
  // Scaling q and k by ch^-1/4 each, rather than the product by ch^-1/2, is steadier in fp16.
  const double scale = 1.0 / std::sqrt(std::sqrt(static_cast<double>(head_channels)));
  auto weight = torch::bmm((q * scale).transpose(1, 2), k * scale);  // [B·H, T, S]
  weight = torch::softmax(weight.to(torch::kFloat), -1).to(weight.scalar_type());
  auto attended = torch::bmm(v, weight.transpose(1, 2)).reshape({batch, channels, length});
  return (flat + proj_out_(attended)).reshape(x.sizes());
}

}  // namespace sdm
