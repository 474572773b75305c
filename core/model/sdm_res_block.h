#pragma once

#include <torch/nn/module.h>
#include <torch/nn/pimpl.h>

#include "core/model/res_block_layers.h"
#include "core/model/spade_group_norm.h"

namespace sdm {

struct SdmResBlockOptions {
  ResBlockOptions block;
  int64_t label_channels;
  int64_t spade_hidden = 128;
  int64_t spade_kernel = 3;
};

// The decoder's residual block (the reference's SDMResBlock): the ResBlock with both norms
// SPADE-modulated by the label map. Registered as in_norm, in_layers.1 (conv), emb_layers.1,
// out_norm, out_layers.2 (conv), skip_connection.
class SdmResBlockImpl : public torch::nn::Module {
public:
  explicit SdmResBlockImpl(const SdmResBlockOptions& options);
  torch::Tensor forward(const torch::Tensor& x, const torch::Tensor& emb, LabelConditioning& labels);

private:
  ResBlockLayers layers_;
  SpadeGroupNorm in_norm_, out_norm_;
};
TORCH_MODULE(SdmResBlock);

}  // namespace sdm
