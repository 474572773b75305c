#pragma once

#include "core/diffusion/diffusion_process.h"
#include "core/model/unet_model.h"

#include <cstdint>
#include <functional>
#include <string>

namespace sdm {

// What a step callback sees: the step just taken (1-based) of `total`, its original timestep,
// and the current x0 prediction — the denoised preview — [N, 3, H, W] in [-1, 1].
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

struct SamplingOptions {
  DiffusionConfig diffusion;
  std::string steps = "ddim25";  // see parse_step_spec
  double guidance = 1.5;
  double eta = 0.0;              // DDIM's η
  int64_t seed = 0;              // variation i draws from seed + i
  bool clip_denoised = true;
  bool cache_modulation = true;  // compute SPADE's γ/β once per sample (off only to measure it)
  StepCallback on_step;
  const KnownRegion* known = nullptr;
  // Told the new part size when the batch did not fit in memory and is sampled in parts.
  std::function<void(int64_t)> on_smaller_parts;
};

struct SamplingResult {
  torch::Tensor images;  // [N, 3, H, W] in [-1, 1]; undefined when cancelled
  bool cancelled = false;
};

// Samples one image per label map in `labels` ([N, C, H, W], on the model's device), drawing
// random numbers in the reference's order: one full-shape draw, then one per step. A batch that
// runs out of memory is sampled in smaller parts, with the same pictures (see batch_parts.h).
SamplingResult sample(UNetModel& model, const torch::Tensor& labels, const SamplingOptions& options);

}  // namespace sdm
