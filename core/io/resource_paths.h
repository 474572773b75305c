#pragma once

#include <filesystem>
#include <string>

namespace sdm {

// Data files are looked up in the source tree first (running from a build), then where
// `cmake --install` puts them.

// The shipped default model's checkpoint, or an sdm::Error saying none was found.
std::filesystem::path default_model_path();
// The segmenter `sdm eval` judges the shipped model with (models/segmenter.pt), or an sdm::Error.
std::filesystem::path default_segmenter_path();
// resources/classes/<dataset>.json, or an empty path when there is none.
std::filesystem::path class_set_path(const std::string& dataset);
// The same, or an sdm::Error saying there is no such class set.
std::filesystem::path required_class_set_path(const std::string& dataset);

}  // namespace sdm
