#pragma once

#include <torch/nn/module.h>
#include <torch/nn/pimpl.h>

#include "core/model/group_norm32.h"
#include "core/model/res_block_layers.h"

namespace sdm {

// The encoder's residual block (the reference's ResBlock), GroupNorm-normalised. Registered as
// in_layers.{0 norm, 2 conv}, emb_layers.1, out_layers.{0 norm, 3 conv}, skip_connection.
class ResBlockImpl : public torch::nn::Module {
public:
  explicit ResBlockImpl(const ResBlockOptions& options);
  torch::Tensor forward(const torch::Tensor& x, const torch::Tensor& emb);

private:
  ResBlockLayers layers_;
  GroupNorm32 in_norm_, out_norm_;
};
TORCH_MODULE(ResBlock);

}  // namespace sdm
