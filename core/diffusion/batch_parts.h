#pragma once

#include "core/diffusion/sampling_request.h"

#include <cstdint>
#include <functional>

namespace sdm {

// Samples `batch` variations as one part, or, when that runs out of memory (a GPU's, usually),
// in parts half as large, then half again, down to one variation at a time. Variation i draws from
// seed + i whatever part it is in, so the pictures do not depend on the split. The step callback
// always sees the whole batch's previews (variations not started yet are grey) and the steps of
// all parts counted together.
//
// `sample_part(first, count, on_step)` samples variations [first, first + count).
// `on_smaller_parts(count)` is told each time the part size falls.
// Out of memory with one variation is an Error saying so. `first_part_size` (≤ batch) is the part
// size to start with.
using PartSampler = std::function<SamplingResult(int64_t first, int64_t count, const StepCallback& on_step)>;
SamplingResult sample_in_parts(int64_t batch, const StepCallback& on_step, const PartSampler& sample_part,
                               const std::function<void(int64_t)>& on_smaller_parts = {}, int64_t first_part_size = 0);

}  // namespace sdm
