#include "core/model/model_config.h"

#include "core/base/error.h"
#include "core/model/group_norm32.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <sstream>

namespace sdm {

std::vector<int> ModelConfig::attention_downsample_rates() const {
  std::vector<int> rates;
  for (int resolution : attention_resolutions)
    rates.push_back(image_height / resolution);
  return rates;
}

int ModelConfig::heads_for(int channels, bool decoder) const {
  if (num_head_channels != -1) return channels / num_head_channels;
  return (decoder && num_heads_upsample != -1) ? num_heads_upsample : num_heads;
}

std::string ModelConfig::colour_cast_warning() const {
  const int top = channel_mult.front() * num_channels;
  if (top >= 2 * kGroupNormGroups) return {};
  return "the top level has " + std::to_string(top) +
         " channels, one per GroupNorm group at the output: the network cannot follow the mean colour of its input, so its "
         "pictures get colour casts (use --channels " + std::to_string(2 * kGroupNormGroups) + " or more at the first level)";
}

void ModelConfig::validate() const {
  auto fail = [](const std::string& message) { throw Error("invalid model config: " + message); };
  if (image_height <= 0 || image_width <= 0) fail("image size must be positive");
  if (num_channels <= 0) fail("num_channels must be positive");
  if (channel_mult.empty()) fail("channel_mult is empty");
  if (num_res_blocks <= 0) fail("num_res_blocks must be positive");
  if (num_classes <= 0) fail("num_classes must be positive");
  const int levels = static_cast<int>(channel_mult.size());
  const int factor = 1 << (levels - 1);
  if (image_height % factor || image_width % factor)
    fail("image size " + std::to_string(image_height) + "x" + std::to_string(image_width) +
         " is not divisible by the U-Net's down-sampling factor " + std::to_string(factor));
  for (int mult : channel_mult) {
    if (mult <= 0) fail("channel_mult entries must be positive");
    if ((mult * num_channels) % kGroupNormGroups)
      fail("channels " + std::to_string(mult * num_channels) + " are not a multiple of GroupNorm's " +
           std::to_string(kGroupNormGroups) + " groups");
  }
  for (int resolution : attention_resolutions)
    if (resolution <= 0 || image_height % resolution)
      fail("attention resolution " + std::to_string(resolution) + " does not divide image height " +
           std::to_string(image_height));
  if (num_head_channels == -1 && num_heads <= 0) fail("num_heads must be positive when num_head_channels is -1");
  if (num_head_channels == 0 || num_head_channels < -1) fail("num_head_channels must be positive or -1");
  // Every attention block must split its channels evenly into heads.
  const auto rates = attention_downsample_rates();
  for (int level = 0; level < levels; ++level) {
    if (std::find(rates.begin(), rates.end(), 1 << level) == rates.end() && level != levels - 1) continue;
    const int channels = channel_mult[level] * num_channels;
    for (bool decoder : {false, true}) {
      const int heads = heads_for(channels, decoder);
      if (heads <= 0 || channels % heads || (num_head_channels != -1 && channels % num_head_channels))
        fail("attention with " + std::to_string(channels) + " channels cannot be split into " +
             (num_head_channels != -1 ? "heads of " + std::to_string(num_head_channels) + " channels"
                                      : std::to_string(heads) + " heads") +
             " (set --num-heads or --num-head-channels)");
    }
  }
  if (spade_hidden <= 0 || spade_kernel <= 0 || spade_kernel % 2 == 0)
    fail("SPADE needs a positive width and an odd kernel");
  if (dropout < 0.0 || dropout >= 1.0) fail("dropout must be in [0, 1)");
  if (low_res_height < 0 || low_res_width < 0 || (low_res_height > 0) != (low_res_width > 0) ||
      low_res_height > image_height || low_res_width > image_width)
    fail("low-res size " + std::to_string(low_res_height) + "x" + std::to_string(low_res_width) +
         " must be positive and at most the image size");
}

nlohmann::json ModelConfig::to_reference_flags() const {
  nlohmann::json flags = {
      {"image_size", image_height},
      {"num_channels", num_channels},
      {"channel_mult", join_int_list(channel_mult)},
      {"num_res_blocks", num_res_blocks},
      {"attention_resolutions", join_int_list(attention_resolutions)},
      {"num_heads", num_heads},
      {"num_head_channels", num_head_channels},
      {"num_heads_upsample", num_heads_upsample},
      {"use_new_attention_order", use_new_attention_order},
      {"num_classes", num_classes},
      {"no_instance", !instance_edges},
      {"class_cond", true},
      {"learn_sigma", learn_sigma},
      {"use_scale_shift_norm", use_scale_shift_norm},
      {"resblock_updown", resblock_updown},
      {"dropout", dropout},
      {"spade_hidden", spade_hidden},
      {"spade_kernel", spade_kernel},
  };
  if (image_width != image_height) flags["image_width"] = image_width;
  if (super_resolution()) {
    flags["large_size"] = image_height;
    flags["small_size"] = low_res_height;
    if (low_res_width * image_height != low_res_height * image_width) flags["small_width"] = low_res_width;
  }
  return flags;
}

std::vector<int> parse_int_list(const std::string& text, const std::string& what) {
  std::vector<int> values;
  std::stringstream stream(text);
  std::string item;
  while (std::getline(stream, item, ',')) {
    try {
      size_t used = 0;
      values.push_back(std::stoi(item, &used));
      if (used != item.size()) throw std::invalid_argument(item);
    } catch (const std::exception&) {
      throw Error(what + ": '" + text + "' is not a comma-separated list of integers");
    }
  }
  return values;
}

std::string join_int_list(const std::vector<int>& values) {
  std::string text;
  for (size_t i = 0; i < values.size(); ++i) text += (i ? "," : "") + std::to_string(values[i]);
  return text;
}

}  // namespace sdm
