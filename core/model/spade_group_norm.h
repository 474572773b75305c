#pragma once

#include <torch/nn/module.h>
#include <torch/nn/modules/container/sequential.h>
#include <torch/nn/pimpl.h>

#include "core/model/convolution.h"
#include "core/model/fused_group_norm.h"
#include "core/model/label_conditioning.h"

namespace sdm {

// SPADE: parameter-free GroupNorm(32), then a per-pixel scale and shift predicted from the label
// map (nearest-resized to the activations) by a shared conv + ReLU and two convs:
// x·(1+γ)+β. γ and β depend on the label map only, so they can be cached (see LabelConditioning);
// for the all-zero map of the unconditional pass they are a few values, never a map.
class SpadeGroupNormImpl : public torch::nn::Module {
public:
  SpadeGroupNormImpl(int64_t channels, int64_t label_channels, int64_t hidden, int64_t kernel);
  torch::Tensor forward(const torch::Tensor& x, LabelConditioning& labels, const NormEpilogue& epilogue = {});

private:
  // γ and β of the maps (as palettes with `as_palette`, see modulation_palette) and the null maps' pattern.
  SpadeModulation modulation(const LabelConditioning& labels, int64_t height, int64_t width, c10::ScalarType dtype,
                             bool as_palette);

  torch::nn::Sequential mlp_shared_;
  Convolution mlp_gamma_, mlp_beta_;
  int64_t label_channels_;
  int64_t border_;  // pixels at each edge where γ's and β's convs reach into the zero padding
};
TORCH_MODULE(SpadeGroupNorm);

}  // namespace sdm
