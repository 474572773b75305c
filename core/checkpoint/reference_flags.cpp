#include "core/checkpoint/reference_flags.h"

#include "core/base/error.h"

#include <algorithm>
#include <map>
#include <tuple>

namespace sdm {

ReferenceFlags::ReferenceFlags(nlohmann::json flags) : flags_(std::move(flags)) {
  if (!flags_.is_object()) throw Error("flags are not a JSON object");
}

std::optional<int> ReferenceFlags::integer(const char* name) const {
  if (!has(name)) return std::nullopt;
  const auto& v = flags_[name];
  if (v.is_number_integer()) return v.get<int>();
  if (v.is_string()) {
    auto values = parse_int_list(v.get<std::string>(), std::string("flag ") + name);
    if (values.size() == 1) return values.front();
  }
  throw Error(std::string("flag ") + name + " is not an integer");
}

std::optional<double> ReferenceFlags::real(const char* name) const {
  if (!has(name)) return std::nullopt;
  const auto& v = flags_[name];
  if (v.is_number()) return v.get<double>();
  throw Error(std::string("flag ") + name + " is not a number");
}

std::optional<bool> ReferenceFlags::boolean(const char* name) const {
  if (!has(name)) return std::nullopt;
  const auto& v = flags_[name];
  if (v.is_boolean()) return v.get<bool>();
  if (v.is_string()) {
    const auto s = v.get<std::string>();
    if (s == "True" || s == "true" || s == "1") return true;
    if (s == "False" || s == "false" || s == "0") return false;
  }
  throw Error(std::string("flag ") + name + " is not a boolean");
}

std::optional<std::vector<int>> ReferenceFlags::int_list(const char* name) const {
  if (!has(name)) return std::nullopt;
  const auto& v = flags_[name];
  if (v.is_string()) {
    const auto s = v.get<std::string>();
    if (s.empty()) return std::nullopt;
    return parse_int_list(s, std::string("flag ") + name);
  }
  if (v.is_number_integer()) return std::vector<int>{v.get<int>()};
  if (v.is_array() && std::all_of(v.begin(), v.end(), [](const auto& e) { return e.is_number_integer(); }))
    return v.get<std::vector<int>>();
  throw Error(std::string("flag ") + name + " is not a list of integers");
}

std::optional<std::string> ReferenceFlags::text(const char* name) const {
  if (!has(name)) return std::nullopt;
  if (!flags_[name].is_string()) throw Error(std::string("flag ") + name + " is not a string");
  return flags_[name].get<std::string>();
}

std::optional<std::pair<int, int>> ReferenceFlags::image_size() const {
  auto height = integer("image_size");
  if (!height) height = integer("large_size");
  if (!height) return std::nullopt;
  const bool cityscapes = text("dataset_mode").value_or("") == "cityscapes";
  return std::pair{*height, integer("image_width").value_or(cityscapes ? 2 * *height : *height)};
}

std::optional<std::pair<int, int>> ReferenceFlags::low_res_size() const {
  auto height = integer("small_size");
  if (!height) return std::nullopt;
  if (auto width = integer("small_width")) return std::pair{*height, *width};
  const auto [image_height, image_width] = image_size().value_or(std::pair{*height, *height});
  return std::pair{*height, *height * image_width / image_height};
}

ModelConfig ReferenceFlags::to_model_config() const {
  ModelConfig c;
  std::tie(c.image_height, c.image_width) = image_size().value_or(std::pair{64, 64});
  c.num_channels = integer("num_channels").value_or(128);
  if (auto mult = int_list("channel_mult")) {
    c.channel_mult = *mult;
  } else {
    static const std::map<int, std::vector<int>> reference_mult = {
        {64, {1, 2, 3, 4}}, {128, {1, 1, 2, 3, 4}}, {256, {1, 1, 2, 2, 4, 4}}};
    auto it = reference_mult.find(c.image_height);
    if (it == reference_mult.end())
      throw Error("flag channel_mult is needed for image_size " + std::to_string(c.image_height));
    c.channel_mult = it->second;
  }
  c.num_res_blocks = integer("num_res_blocks").value_or(2);
  c.attention_resolutions = int_list("attention_resolutions").value_or(std::vector<int>{16, 8});
  c.num_heads = integer("num_heads").value_or(4);
  c.num_head_channels = integer("num_head_channels").value_or(-1);
  c.num_heads_upsample = integer("num_heads_upsample").value_or(-1);
  c.use_new_attention_order = boolean("use_new_attention_order").value_or(false);
  c.num_classes = integer("num_classes").value_or(151);
  c.instance_edges = !boolean("no_instance").value_or(false);
  c.learn_sigma = boolean("learn_sigma").value_or(false);
  c.use_scale_shift_norm = boolean("use_scale_shift_norm").value_or(true);
  c.resblock_updown = boolean("resblock_updown").value_or(false);
  c.dropout = real("dropout").value_or(0.0);
  c.spade_hidden = integer("spade_hidden").value_or(128);
  c.spade_kernel = integer("spade_kernel").value_or(3);
  if (auto low_res = low_res_size()) std::tie(c.low_res_height, c.low_res_width) = *low_res;
  c.validate();
  return c;
}

}  // namespace sdm
