#pragma once

#include <torch/nn/module.h>
#include <torch/nn/pimpl.h>

#include "core/model/convolution.h"
#include "core/model/group_norm32.h"

namespace sdm {

// Self-attention over all spatial positions with a residual connection. `legacy_order` splits
// heads before q/k/v (the reference's QKVAttentionLegacy, what the released models use);
// otherwise q/k/v first (its QKVAttention, `use_new_attention_order`).
class AttentionBlockImpl : public torch::nn::Module {
public:
  AttentionBlockImpl(int64_t channels, int64_t heads, bool legacy_order);
  torch::Tensor forward(const torch::Tensor& x);

private:
  int64_t heads_;
  bool legacy_order_;
  GroupNorm32 norm_;
  Convolution qkv_, proj_out_;
};
TORCH_MODULE(AttentionBlock);

}  // namespace sdm
