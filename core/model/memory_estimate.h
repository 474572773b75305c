#pragma once

#include "core/model/model_config.h"

#include <c10/core/ScalarType.h>

#include <cstdint>

namespace sdm {

// How a sample runs its network, as far as its memory depends on it.
struct SamplingLayout {
  int64_t pictures = 1;          // variations sampled together
  bool guided = true;            // two passes per picture (guidance ≠ 1)
  bool batched_guidance = true;  // both passes as one batch of twice as many (GuidedDenoiser runs
                                 // them one after the other for a released-size network on a CPU)
  int deep_feature_depth = 0;    // DeepCache's depth (FeatureReuse) when it is on, else 0
  bool cpu = true;               // where float32 convolutions run as Winograd's (winograd_convolution.h)
};

// What sampling with a network of `config` holds in memory beyond its weights.
struct SamplingMemory {
  // SPADE's cached γ and β of the label maps (LabelConditioning) at full size: on a CPU in
  // channels-last the cache keeps one vector per distinct neighbourhood (modulation_palette), far
  // less on painted maps, so there this is an upper bound.
  int64_t modulation_cache = 0;
  int64_t deep_features = 0;     // the features DeepCache keeps for every pass (DeepFeatureCache)
  int64_t winograd_kernels = 0;  // the float32 3×3 convolutions' Winograd kernels a CPU keeps
  int64_t activations = 0;       // the runtime, encoder skips and the largest block's temporaries, estimated
  int64_t total() const { return modulation_cache + deep_features + winograd_kernels + activations; }
};

// The caches exactly, from the network's layout; the activations as measured on the released
// configurations (memory_estimate.cpp): a fixed runtime plus a number of float32 top-level
// activations per network input (the encoder's skips, a decoder block's input, its normalised copy
// and outputs), whatever the dtype.
SamplingMemory estimate_sampling_memory(const ModelConfig& config, c10::ScalarType dtype, const SamplingLayout& layout);

}  // namespace sdm
