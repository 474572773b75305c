#pragma once

#include "core/io/class_set.h"
#include "core/io/label_encoding.h"
#include "core/io/label_ids.h"

#include <opencv2/core/mat.hpp>
#include <torch/types.h>

#include <filesystem>
#include <string>
#include <vector>

namespace sdm {

// Reads a label map for a model of `num_classes` classes at height×width: an 8/16-bit
// single-channel PNG (pixel = the dataset's class id) or a colour PNG mapped through `classes`'
// palette. With `classes` null, grey values are the model's channels and colour maps are refused. A map of the same aspect ratio at another size is scaled
// with nearest neighbour; another aspect ratio, unknown ids or unknown colours are one sdm::Error
// line naming the file and listing the offenders with pixel counts. Returns [H, W] int64 channels.
torch::Tensor read_label_map(const std::filesystem::path& path, int num_classes, const ClassSet* classes, int height,
                             int width, LabelMapNotes* notes = nullptr);

// The same for a map already in memory (8/16-bit ids or RGB colours), `path` naming it in errors.
torch::Tensor label_map_channels(const cv::Mat& map, const std::filesystem::path& path, int num_classes, const ClassSet* classes,
                                 int height, int width, LabelMapNotes* notes = nullptr);

// A map of the model's channels ([H, W] int64) in the class set's colours, 8-bit RGB.
cv::Mat channel_colors(const torch::Tensor& channels, const ClassSet& classes);

// A map of the model's channels ([H, W] int64) as a label map to give where a user's map goes:
// the class set's ids, else the channels themselves, as 16-bit grey.
cv::Mat channel_ids(const torch::Tensor& channels, const ClassSet* classes);

// An instance map's ids as CV_32S: grey levels as they are, or one number per colour.
cv::Mat instance_ids(const cv::Mat& image);
// An instance map in memory (ids as grey levels, or one colour per instance) at height×width, `path`
// naming it in errors: [H, W] int64.
torch::Tensor instance_map_ids(const cv::Mat& image, const std::filesystem::path& path, int height, int width,
                               LabelMapNotes* notes = nullptr);

// Reads an instance map (ids as grey levels, or one colour per instance) at height×width: [H, W] int64.
torch::Tensor read_instance_map(const std::filesystem::path& path, int height, int width, LabelMapNotes* notes = nullptr);

}  // namespace sdm
