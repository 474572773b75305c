#pragma once

#include <torch/types.h>

#include <vector>

namespace sdm {

// What the U-Net's encoder makes of a batch of noisy pictures at their timesteps: the timestep
// embedding and each input block's output, the skips the decoder takes. The encoder never sees
// the label map, so the passes of classifier-free guidance — one picture decoded under its map
// and under the empty one — can share one encoding, about a third of a forward's work.
//
// Passed to the decoder by value: tensors are shared, so a caller that keeps its copy keeps the
// skips for another pass, and one that moves it in lets the decoder free each skip once used.
struct UNetEncoding {
  torch::Tensor emb;                 // [N, time_embed_dim], float32
  std::vector<torch::Tensor> skips;  // input block i's output, [N, C_i, H_i, W_i], in the torso's dtype
  c10::ScalarType output_dtype = c10::ScalarType::Float;  // the input's dtype, which the output head computes in

  int64_t batch() const { return emb.size(0); }
};

}  // namespace sdm
