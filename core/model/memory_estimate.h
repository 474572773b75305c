#pragma once

#include "core/model/model_config.h"

#include <c10/core/ScalarType.h>

#include <cstdint>

namespace sdm {

// What sampling with a network of `config` holds in memory beyond its weights, for `pictures`
// variations sampled together; with `batched_guidance` both guidance passes run as one batch of
// twice as many (GuidedDenoiser runs them one after the other for a released-size network on a CPU).
struct SamplingMemory {
  int64_t modulation_cache = 0;  // SPADE's cached γ and β of the label maps (LabelConditioning)
  int64_t activations = 0;       // the runtime, encoder skips and the largest block's temporaries, estimated
  int64_t total() const { return modulation_cache + activations; }
};

// The cache exactly, from the decoder's layout; the activations as measured on the released
// configurations: 1 GiB of runtime plus 8 float32 top-level activations per network input (the
// encoder's skips, a decoder block's input, its normalised copy and outputs), whatever the dtype.
SamplingMemory estimate_sampling_memory(const ModelConfig& config, c10::ScalarType dtype, int64_t pictures,
                                        bool batched_guidance);

}  // namespace sdm
