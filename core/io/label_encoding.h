#pragma once

#include <torch/types.h>

namespace sdm {

// The network's conditioning input, made from a label map already at the model's size.

// 1 where a pixel's 4-neighbour has another instance id, on both sides of every boundary: [H, W] float.
torch::Tensor instance_edges(const torch::Tensor& instances);

// The model's conditioning input: one-hot [num_classes] channels from `channels` ([H, W] int64), plus the
// instance-edge channel when `with_edges` (all zero when `instances` is undefined). [1, C, H, W].
torch::Tensor encode_label_map(const torch::Tensor& channels, int num_classes, bool with_edges,
                               const torch::Tensor& instances = {});

}  // namespace sdm
