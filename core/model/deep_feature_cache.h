#pragma once

#include <torch/types.h>

namespace sdm {

// DeepCache (Ma et al., 2023): a U-Net's deep features change little from one sampling step to
// the next, while its shallowest blocks carry the detail. So a forward may take the decoder's
// input at the `depth`-th skip from the end from an earlier step and run only the first `depth`
// encoder blocks and the last `depth` decoder blocks, which use their skips. Most of the compute
// of the deep blocks is skipped; the result is an approximation, not the same picture.
//
// One cache serves one input (a picture's pass) over the steps of a sample: a forward with
// `reuse` off computes the whole network and stores the features; one with `reuse` on and features
// stored takes them.
struct DeepFeatureCache {
  int depth = 1;      // encoder blocks a reusing forward runs: 1 … the network's input blocks
  bool reuse = false;  // set by the caller per forward
  torch::Tensor features;

  int64_t bytes() const { return features.defined() ? features.numel() * static_cast<int64_t>(features.element_size()) : 0; }
};

}  // namespace sdm
