#pragma once

#include "core/model/unet_model.h"

namespace sdm {

// The network with classifier-free guidance: ε = ε(x|∅) + s·(ε(x|y) − ε(x|∅)) on the first 3
// channels, the variance channels from the conditional pass. Both passes run as one batched
// forward; the unconditional input is the all-zero label map, as in the reference, whose SPADE
// modulation is a few constants rather than maps (LabelConditioning's null maps). At s = 1 the
// formula is the conditional pass alone, and only that runs; s = 0 is the unconditional model.
// SPADE's γ and β are computed on the first call and reused on every later one. A
// super-resolution stage sees its low-res picture in both passes: guidance drops the label map only.
class GuidedDenoiser {
public:
  // labels: [N, C, H, W] one-hot maps (+ edges), low_res: a super-resolution stage's [N, 3, h, w]
  // pictures (undefined for a base model), on the model's device.
  GuidedDenoiser(UNetModel model, const torch::Tensor& labels, double guidance, bool cache_modulation = true,
                 const torch::Tensor& low_res = {});

  // x: [N, 3, H, W] at original timestep `timestep` → [N, 3 or 6, H, W].
  torch::Tensor operator()(const torch::Tensor& x, int64_t timestep);

  double guidance() const { return guidance_; }
  // The label maps with SPADE's cached modulation.
  const LabelConditioning& conditioning() const { return labels_; }

private:
  UNetModel model_;
  double guidance_;
  int64_t batch_;
  LabelConditioning labels_;  // the N maps, then N null maps when guided; γ/β cached
  torch::Tensor low_res_;     // [N or 2N, 3, h, w], or undefined
};

}  // namespace sdm
