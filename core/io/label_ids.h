#pragma once

#include "core/io/class_set.h"

#include <opencv2/core/mat.hpp>

#include <filesystem>
#include <string>
#include <vector>

namespace sdm {

// What reading a label map or instance map at the model's size may report besides the map.
struct LabelMapNotes {
  std::vector<std::string> lines;  // e.g. "scaled 64x64 → 32x32 (nearest neighbour)"
};

// A map (ids, colours or a mask) brought to height×width with nearest neighbour; another aspect
// ratio is an sdm::Error naming `path` and both sizes.
cv::Mat fit_label_map(const cv::Mat& map, const std::filesystem::path& path, int height, int width, LabelMapNotes* notes = nullptr);

// The class ids of a label-map image, checked against the label set: grey (8/16-bit) values are
// the dataset's ids, colours go through `classes`' palette. Without a class set, grey values are
// the model's channels 0…num_classes−1 and colour maps are refused. Ids or colours the set does not
// have are one sdm::Error naming `path` and listing the offenders with their pixel counts.
// Returns CV_32S ids. No LibTorch here: the app reads the maps people paint with it too.
cv::Mat label_ids(const cv::Mat& image, const std::filesystem::path& path, const ClassSet* classes, int num_classes);

}  // namespace sdm
