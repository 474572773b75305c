// The network's parameter names and shapes must equal the reference's state-dict layout, so its
// checkpoints load unchanged. Expected layouts are the reference's own (tests/data/layouts/,
// tiny.json): every key with its shape, in the reference's order.
#include "core/checkpoint/model_presets.h"
#include "core/checkpoint/reference_flags.h"
#include "core/model/group_norm32.h"
#include "core/model/parameter_init.h"
#include "core/model/unet_model.h"
#include "test_support.h"

#include <doctest/doctest.h>
#include <torch/torch.h>

using namespace sdm;

namespace {

void check_layout(const ModelConfig& config, const nlohmann::ordered_json& expected_keys) {
  torch::NoGradGuard no_grad;
  const SkipParameterInit uninitialised;  // shapes and names only: no random draws for ~660 M parameters
  UNetModel model(config);
  const auto parameters = model->named_parameters();
  REQUIRE(parameters.size() == expected_keys.size());
  size_t i = 0;
  for (const auto& [key, shape] : expected_keys.items()) {
    const auto& item = parameters[i++];
    INFO("parameter ", i - 1);
    CHECK(item.key() == key);
    CHECK(item.value().sizes().vec() == shape.get<std::vector<int64_t>>());
  }
}

}  // namespace

TEST_CASE("tiny config built from the reference's flags has the reference's layout") {
  const auto tiny = test::read_json(test::data_path("tiny.json"));
  const ModelConfig config = ReferenceFlags(tiny["flags"]).to_model_config();
  CHECK(config.image_height == 32);
  CHECK(config.channel_mult == std::vector<int>{1, 2});
  CHECK(config.instance_edges);
  check_layout(config, tiny["keys"]);
}

TEST_CASE("the reference's SuperResModel layout: the same network with 6 input channels") {
  const auto sr = test::read_json(test::data_path("tiny-sr.json"));
  const ModelConfig config = ReferenceFlags(sr["flags"]).to_model_config();
  CHECK(config.super_resolution());
  CHECK(config.in_channels() == 6);
  CHECK(sr["keys"]["input_blocks.0.0.weight"][1] == 6);
  check_layout(config, sr["keys"]);
}

TEST_CASE("released presets have the reference's layout and parameter count") {
  for (const auto& preset : model_presets()) {
    SUBCASE(preset.name.c_str()) {
      const auto layout = test::read_json(test::data_path("layouts/" + preset.name + ".json"));
      // The preset equals what the reference builds from its published flags.
      ModelConfig from_flags = ReferenceFlags(layout["flags"]).to_model_config();
      from_flags.image_width = preset.config.image_width;  // the reference widens Cityscapes in its data loader
      CHECK(from_flags == preset.config);
      check_layout(preset.config, layout["keys"]);
      CHECK(test::parameter_count(layout) == layout["parameters"].get<int64_t>());
    }
  }
}

TEST_CASE("reference flags round-trip through a config") {
  for (const auto& preset : model_presets()) {
    CHECK(ReferenceFlags(preset.config.to_reference_flags()).to_model_config() == preset.config);
  }
}

TEST_CASE("a top level under 64 channels is warned about: its output GroupNorm cannot pass a channel's mean") {
  // The mechanism: with one channel per group, a constant added to a channel leaves the norm's
  // output unchanged; with two, constants that differ within a group get through.
  torch::NoGradGuard no_grad;
  const auto x = torch::randn({2, 64, 8, 8});
  const auto offsets = torch::arange(64, torch::kFloat).mul(0.1).view({1, 64, 1, 1});
  GroupNorm32 alone(32), paired(64);
  CHECK(torch::allclose(alone(x.narrow(1, 0, 32) + offsets.narrow(1, 0, 32)), alone(x.narrow(1, 0, 32)), 1e-4, 1e-4));
  CHECK((paired(x + offsets) - paired(x)).abs().max().item<double>() > 0.01);

  ModelConfig small;
  small.num_channels = 32;
  small.channel_mult = {1, 2, 2, 4};
  CHECK(small.colour_cast_warning().find("32 channels") != std::string::npos);
  small.channel_mult = {2, 2, 2, 4};
  CHECK(small.colour_cast_warning().empty());
  for (const auto& preset : model_presets()) CHECK(preset.config.colour_cast_warning().empty());
}
