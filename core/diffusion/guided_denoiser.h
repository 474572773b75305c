#pragma once

#include "core/diffusion/feature_reuse.h"
#include "core/model/deep_feature_cache.h"
#include "core/model/unet_model.h"

#include <optional>
#include <vector>

namespace sdm {

// The network with classifier-free guidance: ε = ε(x|∅) + s·(ε(x|y) − ε(x|∅)) on the first 3
// channels, the variance channels from the conditional pass. The unconditional input is the
// all-zero label map, as in the reference, whose SPADE modulation is a few constants rather than
// maps (LabelConditioning's null maps). Both passes of every picture run as one batched forward,
// except for a released-size network on a CPU, where each picture's passes run as forwards of
// their own: its batch-1 layers keep the threads busy already, one input's activations are the
// least memory, and oneDNN, which picks its
// convolution algorithm by batch size, then computes a variation bit for bit alike alone or in a
// batch (as it does batched, where a picture is always its two passes). At s = 1 the formula is the
// conditional pass alone, and only that runs; s = 0 is the unconditional model.
// The encoder sees neither map, so each picture is encoded once and decoded twice (UNetEncoding),
// exactly: the encoder's share of a guided step saved (not batched on a CPU, see operator()). SPADE's γ
// and β are computed on the first call and reused on every later one. A super-resolution stage sees its low-res picture in both
// passes (it enters the encoder): guidance drops the label map only.
// Whether GuidedDenoiser runs `model`'s pictures and passes as one batch on `device` (see above).
bool batches_guidance_passes(const UNetModel& model, const c10::Device& device);

class GuidedDenoiser {
public:
  // labels: [N, C, H, W] one-hot maps (+ edges), low_res: a super-resolution stage's [N, 3, h, w]
  // pictures (undefined for a base model), on the model's device.
  // How the network runs over the pictures and passes: as the device and network suit (see
  // above), or either way on purpose. Batched encodes each picture once, as a GPU does; batched
  // for a CPU, the doubled batch is encoded (see operator()).
  enum class Batching { ForDevice, Batched, OneByOne };
  GuidedDenoiser(UNetModel model, const torch::Tensor& labels, double guidance, bool cache_modulation = true,
                 const torch::Tensor& low_res = {}, Batching batching = Batching::ForDevice);

  // x: [N, 3, H, W] at original timestep `timestep` → [N, 3 or 6, H, W].
  torch::Tensor operator()(const torch::Tensor& x, int64_t timestep);

  // From the next call on, reuse deep features between calls (off by default). A call reuses only
  // when it goes down in timestep from the one before, so a resampling jump back up is followed
  // by a full forward, as is the first call.
  void set_feature_reuse(FeatureReuse reuse);

  double guidance() const { return guidance_; }
  // Bytes of SPADE modulation and deep features cached for the passes.
  int64_t cached_bytes() const;

private:
  UNetModel model_;
  double guidance_;
  int64_t batch_;
  bool batched_;
  bool shares_encoding_;  // batched: the encoder runs on the pictures once, not on both passes' copies
  // Batched: the N maps, then N null maps when guided. Otherwise one map per picture. γ/β cached.
  std::vector<LabelConditioning> conditions_;
  std::optional<LabelConditioning> unconditional_;  // one null map, for guided pictures one by one
  torch::Tensor low_res_;  // [N, 3, h, w], or undefined
  FeatureReuse reuse_;
  // One per forward a call runs: batched one; else per picture its conditional, then its
  // unconditional pass.
  std::vector<DeepFeatureCache> deep_features_;
  int reused_in_a_row_ = 0;
  int64_t previous_timestep_ = -1;
};

}  // namespace sdm
