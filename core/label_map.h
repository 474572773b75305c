#pragma once

#include "core/class_set.h"

#include <torch/types.h>

#include <filesystem>
#include <string>
#include <vector>

namespace sdm {

// What reading a label map or instance map at the model's size may report besides the map.
struct LabelMapNotes {
  std::vector<std::string> lines;  // e.g. "scaled 64x64 → 32x32 (nearest neighbour)"
};

// Reads a label map for a model of `num_classes` classes at height×width: an 8/16-bit
// single-channel PNG (pixel = the dataset's class id) or a colour PNG mapped through `classes`'
// palette. With `classes` null, grey values are the model's channels and colour maps are refused. A map of the same aspect ratio at another size is scaled
// with nearest neighbour; another aspect ratio, unknown ids or unknown colours are one sdm::Error
// line naming the file and listing the offenders with pixel counts. Returns [H, W] int64 channels.
torch::Tensor read_label_map(const std::filesystem::path& path, int num_classes, const ClassSet* classes, int height,
                             int width, LabelMapNotes* notes = nullptr);

// Reads an instance map (ids as grey levels, or one colour per instance) at height×width: [H, W] int64.
torch::Tensor read_instance_map(const std::filesystem::path& path, int height, int width, LabelMapNotes* notes = nullptr);

// 1 where a pixel's 4-neighbour has another instance id, on both sides of every boundary: [H, W] float.
torch::Tensor instance_edges(const torch::Tensor& instances);

// The model's conditioning input: one-hot [num_classes] channels from `channels` ([H, W] int64), plus the
// instance-edge channel when `with_edges` (all zero when `instances` is undefined). [1, C, H, W].
torch::Tensor encode_label_map(const torch::Tensor& channels, int num_classes, bool with_edges,
                               const torch::Tensor& instances = {});

}  // namespace sdm
