#pragma once

#include "core/diffusion/diffusion_process.h"
#include "core/diffusion/feature_reuse.h"
#include "core/model/unet_model.h"

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

namespace sdm {

// What a step callback sees: the step just taken (1-based) of `total`, its original timestep,
// and the current x0 prediction — the denoised preview — [N, 3, H, W] in [-1, 1], at the
// stage's size.
struct StepProgress {
  int step;
  int total;
  int timestep;
  const torch::Tensor& preview;
};
// Returns false to cancel; cancellation takes effect before the next network forward.
using StepCallback = std::function<bool(const StepProgress&)>;

// Masked regeneration (RePaint): outside the mask the sample is replaced at every step by the
// photo forward-noised to that step, so only the masked region is generated and it is generated
// to fit its surroundings. Resampling jumps (Lugmayr et al.) go back `jump_length` steps,
// `jump_n − 1` extra times per segment, to harmonise the border.
struct KnownRegion {
  torch::Tensor image;  // [N, 3, H, W] in [-1, 1], on the model's device
  torch::Tensor mask;   // [N, 1, H, W], 1 = regenerate, 0 = keep
  int jump_length = 0;  // 0: no jumps
  int jump_n = 1;
};

// One stage of a generation: the network, the label maps it draws, and how. GenerationContext
// (generation_context.h) fills one per stage (Generator::request fills the model's part) and runs
// it with `sample` (sampling_loop.h); the trainer's sample grids and `sdm bench`'s step timings do too.
struct SamplingRequest {
  UNetModel model{nullptr};
  DiffusionConfig diffusion;
  torch::Tensor labels;          // [count, C, H, W]: one map per variation, on the model's device
  torch::Tensor low_res;         // a super-resolution stage's [count, 3, h, w] pictures in [-1, 1]; else undefined
  double low_res_blur = 0.0;     // σ in low-res pixels of the blur low_res gets first (LowResAugmentation)
  // The share of the steps, from the first, whose x0 prediction keeps low_res's low frequencies
  // exactly (keep_low_frequencies): the stage then adds detail without moving the base's colours.
  // 0 (the reference's sampling): none.
  double low_res_consistency = 0.0;
  // The share of the trajectory a super-resolution stage samples, its last part: below 1 the
  // sample starts from the smoothest picture that area-downsamples to low_res, noised to the level
  // where that part begins (SDEdit, Meng et al. 2022), so the steps go where the detail is decided
  // and the base's layout is not drawn again. 1 (the reference's sampling): all of it, from noise.
  double low_res_start = 1.0;
  std::string steps = "ddim25";  // see parse_step_spec
  double guidance = 1.5;         // classifier-free guidance scale s (GuidedDenoiser); 1: none
  double eta = 0.0;              // DDIM's η
  int64_t seed = 0;              // variation i draws from seed + i
  bool clip_denoised = true;
  bool cache_modulation = true;  // compute SPADE's γ/β once per sample (off only to measure it)
  FeatureReuse feature_reuse;    // DeepCache: off unless asked for (an approximation)
  std::optional<KnownRegion> known;  // masked regeneration; its tensors have the labels' count and size
  StepCallback on_step;
  // Told the new part size when the batch did not fit in memory and is sampled in parts.
  std::function<void(int64_t)> on_smaller_parts;
};

struct SamplingResult {
  torch::Tensor images;  // [N, 3, H, W] in [-1, 1]; undefined when cancelled
  bool cancelled = false;
};

}  // namespace sdm
