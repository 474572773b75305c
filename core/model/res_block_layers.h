#pragma once

#include <torch/nn/modules/dropout.h>

#include "core/model/convolution.h"
#include "core/model/fused_group_norm.h"
#include "core/model/linear.h"

#include <functional>

namespace sdm {

enum class Resample { None, Up, Down };

struct ResBlockOptions {
  int64_t channels;
  int64_t emb_channels;
  int64_t out_channels;
  double dropout = 0.0;
  bool use_scale_shift_norm = true;
  Resample resample = Resample::None;
};

// The convs, timestep projection and skip that the encoder's ResBlock and the decoder's
// SdmResBlock share; the two differ only in their normalisation (GroupNorm vs SPADE) and in the
// names under which they register these layers.
struct ResBlockLayers {
  explicit ResBlockLayers(const ResBlockOptions& options);

  // A normalisation followed by what the block applies after it (see NormEpilogue).
  using Norm = std::function<torch::Tensor(const torch::Tensor&, const NormEpilogue&)>;
  // norm → SiLU → [resample] → conv; + timestep embedding (added, or scale/shift after the second
  // norm); norm → SiLU → dropout → conv; + skip of the (resampled) input.
  torch::Tensor forward(const torch::Tensor& x, const torch::Tensor& emb, const Norm& in_norm,
                        const Norm& out_norm);

  ResBlockOptions options;
  Convolution in_conv, out_conv;
  Linear emb_linear;
  torch::nn::Dropout dropout;
  Convolution skip{nullptr};  // 1×1 conv when the width changes, else identity
};

}  // namespace sdm
