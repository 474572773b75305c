#pragma once

#include "core/diffusion/sampling_request.h"
#include "core/generation/generator.h"
#include "core/generation/photo_edit.h"

namespace sdm {

// The photo and mask of an edit at the model's size, as the sampler keeps them: [count, 3, H, W]
// and [count, 1, H, W] (1 = regenerate) on `device`, with RePaint's resampling jumps.
KnownRegion known_region(const PhotoEdit& edit, int64_t count, c10::Device device, int jump_length = 0, int jump_n = 1);

// Makes the stages' requests (from `generator`, one label map per variation) regenerate `photo`
// inside `mask`: `layout`, the base model's, at its size with RePaint's jumps; `detail`, when
// given, its upscaler's, at its size with the photo there known around the mask. Returns the last
// stage's PhotoEdit, which composites the result at the photo's full resolution. Errors
// (sdm::Error) name the sizes that do not fit.
PhotoEdit add_photo_edit(SamplingRequest& layout, SamplingRequest* detail, const Generator& generator, const cv::Mat& photo,
                         const cv::Mat& mask, int jump_length = 0, int jump_n = 1);

}  // namespace sdm
