#pragma once

#include <nlohmann/json_fwd.hpp>

#include <string>
#include <vector>

namespace sdm {

// The SDM U-Net's hyper-parameters, named after the reference's flags (guided_diffusion's
// script_util). Resolutions are in pixels of the image height, as the reference's
// `attention_resolutions` flag is relative to its `image_size`.
struct ModelConfig {
  int image_height = 256;
  int image_width = 256;
  int num_channels = 256;
  std::vector<int> channel_mult{1, 1, 2, 2, 4, 4};
  int num_res_blocks = 2;
  std::vector<int> attention_resolutions{32, 16, 8};
  int num_heads = 1;
  int num_head_channels = 64;  // -1: use num_heads
  int num_heads_upsample = -1; // -1: same as num_heads
  bool use_new_attention_order = false;
  int num_classes = 151;       // semantic classes, without the instance-edge channel
  bool instance_edges = false; // one extra conditioning channel: the instance boundary map
  bool learn_sigma = true;
  bool use_scale_shift_norm = true;
  bool resblock_updown = true;
  double dropout = 0.0;
  int spade_hidden = 128;      // width of SPADE's shared conv
  int spade_kernel = 3;
  // A super-resolution stage (the reference's SuperResModel) also takes the low-res picture it
  // refines, bilinearly up-sampled to the image size and concatenated to x_t: 6 input channels.
  // The low-res size is not in the weights; 0 means a base model.
  int low_res_height = 0;
  int low_res_width = 0;

  bool super_resolution() const { return low_res_height > 0; }
  int in_channels() const { return super_resolution() ? 6 : 3; }
  int condition_channels() const { return num_classes + (instance_edges ? 1 : 0); }
  int out_channels() const { return learn_sigma ? 6 : 3; }
  int time_embed_dim() const { return num_channels * 4; }
  // Down-sampling factors (1, 2, 4, …) at which attention blocks sit.
  std::vector<int> attention_downsample_rates() const;
  // Heads of an attention block with `channels` channels (encoder/middle or decoder).
  int heads_for(int channels, bool decoder) const;

  // Throws sdm::Error naming the first inconsistent field.
  void validate() const;

  // Why pictures of a valid config will have colour casts, or empty. With fewer than 64 channels
  // at the top level the output's GroupNorm (32 groups) normalises each channel alone and so
  // removes its spatial mean: the network cannot see how much of x_t's mean colour is noise, and
  // the first steps amplify that error many times into the picture's colour (models/README.md).
  std::string colour_cast_warning() const;

  // The reference's flags (image_size, num_channels, "32,16,8" strings, no_instance, …) so that
  // a sidecar JSON we write can be passed to the reference's scripts by name; a super-resolution
  // stage adds its super_res_train.py names, large_size and small_size.
  nlohmann::json to_reference_flags() const;
  bool operator==(const ModelConfig&) const = default;
};

// "32,16,8" → {32, 16, 8}; throws sdm::Error naming `what` on anything else.
std::vector<int> parse_int_list(const std::string& text, const std::string& what);
std::string join_int_list(const std::vector<int>& values);

}  // namespace sdm
