#include "core/checkpoint/model_presets.h"

namespace sdm {

namespace {
// The published flags: 256 channels, 2 res blocks, attention at 32,16,8, 64-channel heads,
// learned σ, scale-shift norm and ResBlock up/down-sampling; only the label input differs.
ModelConfig released(int num_classes, bool instance_edges, int width = 256) {
  ModelConfig c;
  c.image_height = 256;
  c.image_width = width;
  c.num_channels = 256;
  c.channel_mult = {1, 1, 2, 2, 4, 4};
  c.num_res_blocks = 2;
  c.attention_resolutions = {32, 16, 8};
  c.num_heads = 4;  // the reference's default, unused beside num_head_channels
  c.num_head_channels = 64;
  c.num_classes = num_classes;
  c.instance_edges = instance_edges;
  c.learn_sigma = true;
  c.use_scale_shift_norm = true;
  c.resblock_updown = true;
  return c;
}
}  // namespace

const std::vector<ModelPreset>& model_presets() {
  static const std::vector<ModelPreset> presets = {
      {"ade20k", released(151, false)},
      {"celeba", released(19, true)},
      {"coco", released(182, true)},
      // The reference trains Cityscapes at image_size 256 with twice the width.
      {"cityscapes", released(35, true, 512)},
  };
  return presets;
}

const ModelPreset* preset_with_label_space(const ModelConfig& config) {
  for (const auto& preset : model_presets())
    if (preset.config.num_classes == config.num_classes && preset.config.instance_edges == config.instance_edges)
      return &preset;
  return nullptr;
}

const ModelPreset* preset_with_condition_channels(int condition_channels) {
  for (const auto& preset : model_presets())
    if (preset.config.condition_channels() == condition_channels) return &preset;
  return nullptr;
}

}  // namespace sdm
