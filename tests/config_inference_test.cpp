// Config inference must recover a model's hyper-parameters from key names and shapes alone.
#include "core/base/error.h"
#include "core/checkpoint/config_inference.h"
#include "core/checkpoint/model_presets.h"
#include "core/checkpoint/reference_flags.h"
#include "core/model/unet_model.h"
#include "test_support.h"

#include <doctest/doctest.h>
#include <torch/torch.h>

using namespace sdm;

namespace {

// A state dict with the given layout; torch::empty does not touch memory, so even the 660 M
// parameter presets cost nothing.
StateDict empty_state(const nlohmann::ordered_json& keys) {
  StateDict state;
  for (const auto& [key, shape] : keys.items()) state.emplace_back(key, torch::empty(shape.get<std::vector<int64_t>>()));
  return state;
}

StateDict state_of(UNetModel& model) {
  StateDict state;
  for (const auto& item : model->named_parameters()) state.emplace_back(item.key(), item.value());
  return state;
}

bool mentions(const std::vector<std::string>& lines, const std::string& word) {
  for (const auto& line : lines)
    if (line.find(word) != std::string::npos) return true;
  return false;
}

}  // namespace

TEST_CASE("released checkpoints' layouts infer their preset with no flags") {
  for (const auto& preset : model_presets()) {
    SUBCASE(preset.name.c_str()) {
      const auto layout = test::read_json(test::data_path("layouts/" + preset.name + ".json"));
      const auto inferred = infer_model_config(empty_state(layout["keys"]), nlohmann::json::object(), {});
      CHECK(inferred.config == preset.config);
      // Heads are not in the weights: the released value is assumed, and said.
      CHECK(mentions(inferred.assumptions, "64 channels per attention head"));
    }
  }
}

TEST_CASE("tiny layout with its flags infers the reference's config exactly") {
  const auto tiny = test::read_json(test::data_path("tiny.json"));
  const auto inferred = infer_model_config(empty_state(tiny["keys"]), tiny["flags"], {});
  CHECK(inferred.config == ReferenceFlags(tiny["flags"]).to_model_config());
  CHECK(inferred.assumptions.empty());
}

TEST_CASE("a super-resolution stage is told by its 6 input channels; its low-res size comes from the flags") {
  const auto sr = test::read_json(test::data_path("tiny-sr.json"));
  const auto state = empty_state(sr["keys"]);
  const auto inferred = infer_model_config(state, sr["flags"], {});
  CHECK(inferred.config == ReferenceFlags(sr["flags"]).to_model_config());
  CHECK(inferred.config.super_resolution());
  CHECK(inferred.config.image_height == 64);
  CHECK(inferred.config.low_res_height == 16);
  CHECK(inferred.config.low_res_width == 16);
  CHECK(inferred.assumptions.empty());

  // Without small_size, a quarter of the image size, said as an assumption.
  auto flags = sr["flags"];
  flags.erase("small_size");
  flags["large_size"] = 128;
  const auto quarter = infer_model_config(state, flags, {});
  CHECK(quarter.config.low_res_height == 32);
  CHECK(mentions(quarter.assumptions, "small_size"));

  // A base model is not one.
  const auto tiny = test::read_json(test::data_path("tiny.json"));
  CHECK_FALSE(infer_model_config(empty_state(tiny["keys"]), tiny["flags"], {}).config.super_resolution());
}

TEST_CASE("a super-resolution config round-trips through the flags it writes") {
  const auto sr = test::read_json(test::data_path("tiny-sr.json"));
  ModelConfig config = ReferenceFlags(sr["flags"]).to_model_config();
  config.image_width = 128;
  config.low_res_width = 32;
  UNetModel model(config);
  const auto flags = config.to_reference_flags();
  CHECK(flags["large_size"] == 64);
  CHECK(flags["small_size"] == 16);
  CHECK(infer_model_config(state_of(model), flags, {}).config == config);
}

TEST_CASE("image size follows from the attention flag when image_size is absent") {
  const auto tiny = test::read_json(test::data_path("tiny.json"));
  const auto inferred = infer_model_config(empty_state(tiny["keys"]), {{"attention_resolutions", "16"}}, {});
  CHECK(inferred.config.image_height == 32);
  CHECK(inferred.config.attention_resolutions == std::vector<int>{16});
}

TEST_CASE("head options take precedence over flags") {
  const auto tiny = test::read_json(test::data_path("tiny.json"));
  const auto state = empty_state(tiny["keys"]);
  auto by_count = infer_model_config(state, tiny["flags"], {.num_heads = 2});
  CHECK(by_count.config.num_heads == 2);
  CHECK(by_count.config.num_head_channels == -1);
  auto by_width = infer_model_config(state, tiny["flags"], {.num_head_channels = 32});
  CHECK(by_width.config.num_head_channels == 32);
  CHECK_THROWS_WITH_AS(infer_model_config(state, tiny["flags"], {.num_head_channels = 48}),
                       doctest::Contains("cannot be split"), Error);
}

TEST_CASE("a variant with conv resampling, additive embedding, fixed sigma and a non-square size round-trips") {
  ModelConfig config;
  config.image_height = 32;
  config.image_width = 64;
  config.num_channels = 32;
  config.channel_mult = {1, 2, 3};
  config.num_res_blocks = 2;
  config.attention_resolutions = {16, 8};
  config.num_heads = 2;
  config.num_head_channels = -1;
  config.num_classes = 7;
  config.instance_edges = false;
  config.learn_sigma = false;
  config.use_scale_shift_norm = false;
  config.resblock_updown = false;
  config.spade_hidden = 48;
  config.spade_kernel = 1;
  UNetModel model(config);
  const auto inferred = infer_model_config(state_of(model), config.to_reference_flags(), {});
  CHECK(inferred.config == config);
}

TEST_CASE("flags that contradict the weights are refused") {
  const auto tiny = test::read_json(test::data_path("tiny.json"));
  auto flags = tiny["flags"];
  flags["num_classes"] = 25;
  CHECK_THROWS_WITH_AS(infer_model_config(empty_state(tiny["keys"]), flags, {}),
                       doctest::Contains("the weights take 20 label channels"), Error);
}

TEST_CASE("a state dict of another network is not an SDM U-Net") {
  StateDict mlp{{"0.weight", torch::zeros({16, 8})}, {"0.bias", torch::zeros({16})}};
  CHECK_THROWS_WITH_AS(infer_model_config(mlp, nlohmann::json::object(), {}),
                       doctest::Contains("missing key time_embed.0.weight"), Error);
}
