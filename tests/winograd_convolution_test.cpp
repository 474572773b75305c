// Winograd's F(4×4, 3×3) against ATen's direct convolution in float64.
#include "core/model/convolution.h"
#include "core/model/label_conditioning.h"
#include "core/model/memory_estimate.h"
#include "core/model/unet_model.h"
#include "core/model/winograd_convolution.h"

#include "test_support.h"

#include <doctest/doctest.h>
#include <torch/torch.h>

using namespace sdm;
using test::relative_error;

namespace {

// conv2d in float64: the independent value the float32 result is held to.
torch::Tensor direct_f64(const torch::Tensor& x, const torch::Tensor& weight, const torch::Tensor& bias) {
  return torch::conv2d(x.to(torch::kDouble), weight.to(torch::kDouble), bias.to(torch::kDouble), 1, 1);
}

}  // namespace

TEST_CASE("Winograd F(4x4, 3x3) matches a float64 direct convolution, edges and ragged tiles included") {
  torch::NoGradGuard no_grad;
  torch::manual_seed(11);
  // 130 × 134: neither side a multiple of the 4-pixel tile, so the last tiles are cropped; more
  // input than output channels, the other way round, and input channels that end
  // in a part-filled vector (as a label map with 259 classes).
  for (const auto& [in_channels, out_channels] : {std::pair{288, 256}, std::pair{256, 272}, std::pair{259, 256}}) {
    const auto x = torch::randn({1, in_channels, 130, 134}).contiguous(torch::MemoryFormat::ChannelsLast);
    const auto weight = torch::randn({out_channels, in_channels, 3, 3}) / std::sqrt(9.0 * in_channels);
    const auto bias = torch::randn({out_channels});
    REQUIRE(winograd_applies(x, weight));

    const auto got = winograd_conv3x3(x, winograd_kernel(weight), bias);
    CHECK(got.is_contiguous(torch::MemoryFormat::ChannelsLast));
    CHECK(got.sizes() == torch::IntArrayRef{1, out_channels, 130, 134});
    const auto want = direct_f64(x, weight, bias);
    // float32's direct convolution sits at ~1e-7 of the spread; Winograd's transforms multiply
    // by up to 8 and 1/24, giving up a few bits. A wrong tap, tile or edge would be O(1).
    CHECK(relative_error(got, want) < 2e-5);
    CHECK(relative_error(torch::conv2d(x, weight, bias, 1, 1), want) < 2e-6);
  }
}

TEST_CASE("Winograd gives a picture the same bits alone and in a batch, from either memory format") {
  torch::NoGradGuard no_grad;
  torch::manual_seed(12);
  const auto x = torch::randn({2, 256, 128, 128});
  const auto weight = torch::randn({256, 256, 3, 3}) / 48.0;
  const auto bias = torch::randn({256});
  const auto kernel = winograd_kernel(weight);
  const auto batch = winograd_conv3x3(x, kernel, bias);  // NCHW in: converted
  CHECK(torch::equal(winograd_conv3x3(x.narrow(0, 1, 1), kernel, bias), batch.narrow(0, 1, 1)));
}

TEST_CASE("Winograd applies only to float32 3x3 convolutions large enough, without a graph") {
  const auto x = torch::randn({1, 256, 128, 128});
  const auto weight = torch::randn({256, 256, 3, 3});
  {
    torch::NoGradGuard no_grad;
    CHECK(winograd_applies(x, weight));
    CHECK_FALSE(winograd_applies(x.to(torch::kBFloat16), weight.to(torch::kBFloat16)));
    CHECK_FALSE(winograd_applies(x.narrow(2, 0, 64), weight));        // below kWinogradMinPixels
    CHECK_FALSE(winograd_applies(x, torch::randn({256, 256, 1, 1})));  // not 3×3
    CHECK_FALSE(winograd_applies(x, torch::randn({264, 256, 3, 3})));  // out: not whole vectors
    CHECK_FALSE(winograd_applies(x, torch::randn({128, 256, 3, 3})));  // narrow: below kWinogradMinChannels
    CHECK_FALSE(winograd_applies(x.narrow(1, 0, 128), torch::randn({256, 128, 3, 3})));
  }
  CHECK(winograd_applies(x, weight));  // no tensor records a graph
  CHECK_FALSE(winograd_applies(x, weight.clone().requires_grad_()));
}

TEST_CASE("A convolution layer uses Winograd when it applies, and follows its weights when they change") {
  torch::NoGradGuard no_grad;
  torch::manual_seed(13);
  auto conv = same_conv2d(256, 256, 3);
  const auto x = torch::randn({1, 256, 128, 128}).contiguous(torch::MemoryFormat::ChannelsLast);
  const auto first = conv->forward(x);
  CHECK(relative_error(first, direct_f64(x, conv->weight, conv->bias)) < 2e-5);
  CHECK_FALSE(torch::equal(first, torch::conv2d(x, conv->weight, conv->bias, 1, 1)));  // not the direct path

  conv->weight.mul_(-2);  // as a checkpoint's copy_ into the parameter would
  CHECK(relative_error(conv->forward(x), direct_f64(x, conv->weight, conv->bias)) < 2e-5);
}

TEST_CASE("the memory estimate's Winograd kernels are what a float32 forward keeps") {
  torch::NoGradGuard no_grad;
  for (const bool updown : {true, false}) {
    CAPTURE(updown);
    // One level at kWinogradMinPixels (128²) and one below, with the resampling convolutions
    // between them either way.
    ModelConfig config;
    config.image_height = config.image_width = 128;
    config.num_channels = 256;
    config.channel_mult = {1, 2};
    config.num_res_blocks = 1;
    config.attention_resolutions = {2};
    config.num_heads = 1;
    config.num_head_channels = -1;
    config.num_classes = 3;
    config.resblock_updown = updown;
    config.spade_hidden = 16;
    UNetModel model(config);
    auto labels = torch::zeros({1, config.condition_channels(), 128, 128});
    labels.index_put_({0, 1}, 1.0);
    LabelConditioning conditioning(labels, true);
    model->forward(torch::randn({1, 3, 128, 128}), torch::full({1}, 500, torch::kLong), conditioning);

    int64_t kept = 0;
    for (const auto& module : model->modules())
      if (const auto* conv = dynamic_cast<const ConvolutionImpl*>(module.get())) kept += conv->kept_winograd_kernel_bytes();
    CHECK(kept > 0);
    CHECK(estimate_sampling_memory(config, torch::kFloat, {}).winograd_kernels == kept);
    CHECK(estimate_sampling_memory(config, torch::kBFloat16, {}).winograd_kernels == 0);
    CHECK(estimate_sampling_memory(config, torch::kFloat, {.cpu = false}).winograd_kernels == 0);
  }
}
