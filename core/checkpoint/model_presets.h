#pragma once

#include "core/model/model_config.h"

#include <string>
#include <vector>

namespace sdm {

// A released SDM configuration: the reference's published flags for one dataset.
struct ModelPreset {
  std::string name;   // "ade20k", "celeba", "coco", "cityscapes"
  ModelConfig config;
};

const std::vector<ModelPreset>& model_presets();
// The preset whose label space (classes + instance-edge channel) `config` shares, or nullptr:
// a label map painted for it can be used with that dataset's released checkpoint.
const ModelPreset* preset_with_label_space(const ModelConfig& config);
// The preset whose label input has `condition_channels` channels, or nullptr.
const ModelPreset* preset_with_condition_channels(int condition_channels);

}  // namespace sdm
