#include "core/checkpoint/config_inference.h"

#include "core/base/error.h"
#include "core/checkpoint/model_presets.h"
#include "core/checkpoint/reference_flags.h"

#include <torch/torch.h>

#include <algorithm>
#include <map>
#include <tuple>

namespace sdm {

namespace {

class KeyShapes {
public:
  explicit KeyShapes(const StateDict& state) {
    for (const auto& [key, tensor] : state) shapes_[key] = tensor.sizes().vec();
  }
  bool has(const std::string& key) const { return shapes_.count(key) != 0; }
  // The shape of `key`, which must exist with `dims` dimensions.
  const std::vector<int64_t>& shape(const std::string& key, size_t dims) const {
    auto it = shapes_.find(key);
    if (it == shapes_.end()) throw Error("not an SDM U-Net state dict: missing key " + key);
    if (it->second.size() != dims)
      throw Error("not an SDM U-Net state dict: " + key + " has shape " + c10::str(c10::IntArrayRef(it->second)) +
                  ", expected " + std::to_string(dims) + " dimensions");
    return it->second;
  }
  // How many consecutive blocks `prefix`0., `prefix`1., … exist.
  int count_blocks(const std::string& prefix) const {
    int n = 0;
    while (true) {
      const std::string block = prefix + std::to_string(n) + ".";
      auto it = shapes_.lower_bound(block);
      if (it == shapes_.end() || it->first.compare(0, block.size(), block) != 0) return n;
      ++n;
    }
  }

private:
  std::map<std::string, std::vector<int64_t>> shapes_;
};

}  // namespace

InferredConfig infer_model_config(const StateDict& state, const nlohmann::json& flag_json, const HeadOptions& heads) {
  const KeyShapes keys(state);
  const ReferenceFlags flags(flag_json);
  InferredConfig result;
  ModelConfig& c = result.config;
  auto assume = [&](std::string text) { result.assumptions.push_back(std::move(text)); };

  const auto& time_embed = keys.shape("time_embed.0.weight", 2);
  c.num_channels = static_cast<int>(time_embed[1]);
  if (time_embed[0] != 4 * time_embed[1])
    throw Error("not an SDM U-Net state dict: time_embed.0.weight is " + c10::str(c10::IntArrayRef(time_embed)) +
                ", expected [4·C, C]");
  const auto& conv_in = keys.shape("input_blocks.0.0.weight", 4);
  // A super-resolution stage takes the up-sampled low-res picture beside x_t.
  if (conv_in[1] != 3 && conv_in[1] != 6)
    throw Error("not an SDM U-Net state dict: input_blocks.0.0 takes " + std::to_string(conv_in[1]) + " channels, not 3 or 6");
  const bool super_resolution = conv_in[1] == 6;

  // The decoder's up-sampling layers (a conv `Upsample` or an up-sampling SDMResBlock) close every
  // level but the first, so the first output block that has one tells the res blocks per level.
  const int input_count = keys.count_blocks("input_blocks.");
  const int output_count = keys.count_blocks("output_blocks.");
  if (output_count == 0) throw Error("not an SDM U-Net state dict: no output_blocks");
  auto has_upsampler = [&](int block) {
    for (int layer = 1; layer <= 2; ++layer) {
      const std::string prefix = "output_blocks." + std::to_string(block) + "." + std::to_string(layer) + ".";
      if (keys.has(prefix + "conv.weight") || keys.has(prefix + "in_norm.mlp_shared.0.weight")) return true;
    }
    return false;
  };
  int first_up = 0;
  while (first_up < output_count && !has_upsampler(first_up)) ++first_up;
  c.num_res_blocks = first_up < output_count ? first_up : output_count - 1;
  if (c.num_res_blocks < 1 || output_count % (c.num_res_blocks + 1))
    throw Error("not an SDM U-Net state dict: " + std::to_string(output_count) + " output blocks do not form U-Net levels");
  const int levels = output_count / (c.num_res_blocks + 1);
  if (input_count != 1 + levels * c.num_res_blocks + (levels - 1))
    throw Error("not an SDM U-Net state dict: " + std::to_string(input_count) + " input blocks but " +
                std::to_string(output_count) + " output blocks");

  // Encoder: each level's first res block gives its width and whether it attends.
  int rate = 1;
  std::vector<int> attention_rates;
  c.channel_mult.clear();
  for (int level = 0; level < levels; ++level) {
    const std::string block = "input_blocks." + std::to_string(1 + level * (c.num_res_blocks + 1)) + ".";
    const auto& conv = keys.shape(block + "0.in_layers.2.weight", 4);
    if (conv[0] % c.num_channels)
      throw Error("not an SDM U-Net state dict: " + block + "0 has " + std::to_string(conv[0]) +
                  " channels, not a multiple of " + std::to_string(c.num_channels));
    c.channel_mult.push_back(static_cast<int>(conv[0] / c.num_channels));
    if (keys.has(block + "1.qkv.weight")) attention_rates.push_back(rate);
    rate *= 2;
  }
  if (conv_in[0] != int64_t{c.channel_mult.front()} * c.num_channels)
    throw Error("not an SDM U-Net state dict: input_blocks.0.0 has " + std::to_string(conv_in[0]) + " channels");
  if (levels > 1) {
    const std::string down = "input_blocks." + std::to_string(1 + c.num_res_blocks) + ".0.";
    c.resblock_updown = !keys.has(down + "op.weight");
  } else {
    c.resblock_updown = flags.boolean("resblock_updown").value_or(true);
  }

  const auto& emb = keys.shape("input_blocks.1.0.emb_layers.1.weight", 2);
  c.use_scale_shift_norm = emb[0] == 2 * int64_t{c.channel_mult.front()} * c.num_channels;
  const auto& out = keys.shape("out.2.weight", 4);
  if (out[0] != 3 && out[0] != 6) throw Error("not an SDM U-Net state dict: out.2 gives " + std::to_string(out[0]) + " channels, not 3 or 6");
  c.learn_sigma = out[0] == 6;

  const auto& spade = keys.shape("middle_block.0.in_norm.mlp_shared.0.weight", 4);
  c.spade_hidden = static_cast<int>(spade[0]);
  c.spade_kernel = static_cast<int>(spade[2]);
  const int condition_channels = static_cast<int>(spade[1]);

  // Classes vs. the instance-edge channel: the flags say, else the released label spaces do.
  if (auto classes = flags.integer("num_classes")) {
    c.num_classes = *classes;
    c.instance_edges = !flags.boolean("no_instance").value_or(false);
    if (c.condition_channels() != condition_channels)
      throw Error("flags say num_classes " + std::to_string(c.num_classes) + (c.instance_edges ? " + an instance-edge channel" : "") +
                  " but the weights take " + std::to_string(condition_channels) + " label channels");
  } else if (const auto* preset = preset_with_condition_channels(condition_channels)) {
    c.num_classes = preset->config.num_classes;
    c.instance_edges = preset->config.instance_edges;
  } else {
    c.num_classes = condition_channels;
    c.instance_edges = false;
    assume("no instance-edge channel (" + std::to_string(condition_channels) + " label channels; set num_classes/no_instance in the sidecar)");
  }

  // Image size: weights are resolution-free. Flags, else the attention flag paired with the
  // attending levels, else the released configuration, else the reference's size for this depth.
  const auto* preset = preset_with_label_space(c);
  const auto attention_flag = flags.int_list("attention_resolutions");
  if (auto size = flags.image_size()) {
    std::tie(c.image_height, c.image_width) = *size;
  } else if (attention_flag && attention_flag->size() == attention_rates.size() && !attention_rates.empty()) {
    c.image_height = c.image_width = *std::max_element(attention_flag->begin(), attention_flag->end()) * attention_rates.front();
  } else if (preset && c.num_channels == preset->config.num_channels && c.channel_mult == preset->config.channel_mult) {
    c.image_height = preset->config.image_height;
    c.image_width = preset->config.image_width;
  } else {
    static const std::map<int, int> reference_size_for_levels = {{4, 64}, {5, 128}, {6, 256}, {7, 512}};
    auto it = reference_size_for_levels.find(levels);
    c.image_height = c.image_width = it != reference_size_for_levels.end() ? it->second : 32 << (levels - 1);
    assume("image size " + std::to_string(c.image_height) + " (set image_size in the sidecar)");
  }
  c.attention_resolutions.clear();
  for (int r : attention_rates) c.attention_resolutions.push_back(c.image_height / r);

  // The low-res size of a super-resolution stage: the flags, else the cascades' usual factor 4.
  if (super_resolution) {
    if (auto low_res = flags.low_res_size()) {
      std::tie(c.low_res_height, c.low_res_width) = *low_res;
    } else {
      c.low_res_height = std::max(1, c.image_height / 4);
      c.low_res_width = std::max(1, c.image_width / 4);
      assume("a super-resolution stage from " + std::to_string(c.low_res_height) + "x" + std::to_string(c.low_res_width) +
             " (a quarter of the image size; set small_size in the sidecar)");
    }
  }

  // Heads: options, then flags, then the released checkpoints' 64-channel heads.
  c.use_new_attention_order = flags.boolean("use_new_attention_order").value_or(false);
  c.num_heads = heads.num_heads.value_or(flags.integer("num_heads").value_or(4));  // the reference's default
  c.num_heads_upsample = flags.integer("num_heads_upsample").value_or(-1);
  if (heads.num_head_channels)
    c.num_head_channels = *heads.num_head_channels;
  else if (heads.num_heads)
    c.num_head_channels = -1;  // --num-heads alone means a fixed head count, as in the reference
  else if (auto head_channels = flags.integer("num_head_channels"))
    c.num_head_channels = *head_channels;
  else {
    c.num_head_channels = 64;
    assume("64 channels per attention head, as in the released checkpoints (set --num-head-channels or --num-heads)");
  }
  c.dropout = flags.real("dropout").value_or(0.0);

  c.validate();
  return result;
}

}  // namespace sdm
