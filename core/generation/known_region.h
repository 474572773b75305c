#pragma once

#include "core/diffusion/sampling_request.h"
#include "core/generation/photo_edit.h"

namespace sdm {

// The photo and mask of an edit at the model's size, as the sampler keeps them: [count, 3, H, W]
// and [count, 1, H, W] (1 = regenerate) on `device`, with RePaint's resampling jumps.
KnownRegion known_region(const PhotoEdit& edit, int64_t count, c10::Device device, int jump_length = 0, int jump_n = 1);

}  // namespace sdm
