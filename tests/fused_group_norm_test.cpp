// The fused norm against the same computation in float64 with ATen's own ops.
#include "core/model/fused_group_norm.h"

#include <ATen/Parallel.h>
#include <doctest/doctest.h>
#include <torch/torch.h>

#include <vector>

using namespace sdm;

namespace {

constexpr auto kChannelsLast = torch::MemoryFormat::ChannelsLast;

// Activations whose channels sit far from zero and spread differently: a variance from Σx² − (Σx)²
// in float32 would lose most of its digits on them.
torch::Tensor activations(int64_t batch, int64_t channels, int64_t size) {
  torch::manual_seed(3);
  const auto offset = torch::linspace(-300, 900, channels).view({1, channels, 1, 1});
  const auto spread = torch::linspace(0.05, 4, channels).view({1, channels, 1, 1});
  return (torch::randn({batch, channels, size, size}) * spread + offset).contiguous(kChannelsLast);
}

// GroupNorm, affine, modulation, channel scale-shift and SiLU in float64, NCHW.
torch::Tensor expected(const torch::Tensor& x, int64_t groups, const torch::Tensor& weight, const torch::Tensor& bias,
                       const torch::Tensor& scale, const torch::Tensor& shift, const NormEpilogue& e) {
  auto d = [](const torch::Tensor& t) { return t.to(torch::kDouble).contiguous(); };
  auto h = torch::group_norm(d(x), groups, d(weight), d(bias));
  if (scale.defined()) h = h * d(scale) + d(shift);
  h = h * d(e.channel_scale).unsqueeze(-1).unsqueeze(-1) + d(e.channel_shift).unsqueeze(-1).unsqueeze(-1);
  return e.silu ? torch::silu(h) : h;
}

// Each picture's modulation read from [N, C, H, W] channels-last tensors, pixel for pixel.
std::vector<PixelModulation> full_modulation(const torch::Tensor& scale, const torch::Tensor& shift) {
  const int64_t channels = scale.size(1), height = scale.size(2), width = scale.size(3);
  std::vector<PixelModulation> pixels;
  for (int64_t n = 0; n < scale.size(0); ++n) {
    PixelModulation m{scale[n].data_ptr(), shift[n].data_ptr(), {}, {}};
    for (int64_t y = 0; y < height; ++y) m.rows.push_back(y * width * channels);
    for (int64_t x = 0; x < width; ++x) m.columns.push_back(x * channels);
    pixels.push_back(std::move(m));
  }
  return pixels;
}

}  // namespace

TEST_CASE("fused GroupNorm with affine, SPADE modulation, scale-shift and SiLU matches float64 ATen") {
  torch::NoGradGuard no_grad;
  const auto x = activations(2, 64, 24);
  const auto weight = torch::linspace(0.5, 2, 64), bias = torch::linspace(-1, 1, 64);
  const auto scale = (1 + 0.3 * torch::randn({2, 64, 24, 24})).contiguous(kChannelsLast);
  const auto shift = (0.5 * torch::randn({2, 64, 24, 24})).contiguous(kChannelsLast);
  const NormEpilogue epilogue{1 + 0.2 * torch::randn({2, 64}), torch::randn({2, 64}), true};
  REQUIRE(fused_group_norm_applies(x));

  const auto want = expected(x, 32, weight, bias, scale, shift, epilogue);
  const auto got = fused_group_norm(x, 32, weight, bias, full_modulation(scale, shift), epilogue);
  CHECK(got.is_contiguous(kChannelsLast));
  CHECK((got.to(torch::kDouble) - want).abs().max().item<double>() < 2e-5 * want.abs().max().item<double>());

  // Without modulation or epilogue: the plain norm, which ATen's float32 group_norm also gives.
  const auto plain = fused_group_norm(x, 32, {}, {}, {}, {});
  CHECK((plain.to(torch::kDouble) - torch::group_norm(x.to(torch::kDouble), 32)).abs().max().item<double>() < 1e-5);
  CHECK(plain.mean().item<double>() == doctest::Approx(0.0).epsilon(1e-4));
}

TEST_CASE("fused norm in bf16: it rounds once: the float64 result rounded, but for ties of a last bit") {
  torch::NoGradGuard no_grad;
  const auto x = activations(2, 64, 16).to(torch::kBFloat16);
  const auto weight = torch::linspace(0.5, 2, 64), bias = torch::linspace(-1, 1, 64);
  const NormEpilogue epilogue{torch::full({2, 64}, 1.25), torch::full({2, 64}, -0.5), true};
  const auto want = expected(x, 32, weight, bias, {}, {}, epilogue).to(torch::kFloat).to(torch::kBFloat16);
  const auto got = fused_group_norm(x, 32, weight, bias, {}, epilogue);
  CHECK((got.scalar_type() == torch::kBFloat16));
  const auto differ = got.ne(want.contiguous(kChannelsLast));
  MESSAGE("bf16 values off by rounding: ", differ.to(torch::kDouble).mean().item<double>());
  CHECK(differ.to(torch::kDouble).mean().item<double>() < 0.01);
  // Where they differ, by one bf16 step of the value at most.
  const auto step = want.to(torch::kFloat).abs() * (1.0 / 128) + 1e-30;
  CHECK(((got.to(torch::kFloat) - want.to(torch::kFloat)).abs() <= step).all().item<bool>());
}

TEST_CASE("fused norm: a few-pixel pattern read through offsets equals the same modulation spread over the picture") {
  torch::NoGradGuard no_grad;
  const auto x = activations(1, 32, 12);
  // A 3×3 pattern: row y takes pattern row 0 on the first row, 2 on the last, 1 between.
  const auto pattern_scale = (1 + torch::randn({1, 32, 3, 3})).contiguous(kChannelsLast);
  const auto pattern_shift = torch::randn({1, 32, 3, 3}).contiguous(kChannelsLast);
  std::vector<int64_t> index{0};
  for (int i = 1; i < 11; ++i) index.push_back(1);
  index.push_back(2);
  const auto where = torch::tensor(index);
  auto spread = [&](const torch::Tensor& p) {
    return p.index_select(2, where).index_select(3, where).contiguous(kChannelsLast);
  };
  PixelModulation pattern{pattern_scale.data_ptr(), pattern_shift.data_ptr(), {}, {}};
  for (auto i : index) pattern.rows.push_back(i * 3 * 32), pattern.columns.push_back(i * 32);
  const NormEpilogue none{torch::ones({1, 32}), torch::zeros({1, 32}), false};
  const auto from_pattern = fused_group_norm(x, 32, {}, {}, {pattern}, none);
  const auto spread_scale = spread(pattern_scale), spread_shift = spread(pattern_shift);
  const auto from_full = fused_group_norm(x, 32, {}, {}, full_modulation(spread_scale, spread_shift), none);
  CHECK(from_pattern.equal(from_full));
  const auto want = expected(x, 32, torch::ones({32}), torch::zeros({32}), spread_scale, spread_shift, none);
  CHECK(from_full.allclose(want.to(torch::kFloat), 1e-4, 1e-4));
}

TEST_CASE("the fused norm gives the same bits whatever the thread count or the batch around a picture") {
  torch::NoGradGuard no_grad;
  const auto x = activations(3, 64, 40).to(torch::kBFloat16);
  const NormEpilogue epilogue{torch::full({3, 64}, 1.5), torch::zeros({3, 64}), true};
  const int threads = at::get_num_threads();
  at::set_num_threads(1);
  const auto serial = fused_group_norm(x, 32, {}, {}, {}, epilogue);
  at::set_num_threads(std::max(2, threads));
  const auto parallel = fused_group_norm(x, 32, {}, {}, {}, epilogue);
  at::set_num_threads(threads);
  CHECK(serial.equal(parallel));
  const NormEpilogue alone_epilogue{epilogue.channel_scale.narrow(0, 1, 1), epilogue.channel_shift.narrow(0, 1, 1), true};
  CHECK(fused_group_norm(x.narrow(0, 1, 1), 32, {}, {}, {}, alone_epilogue).equal(serial.narrow(0, 1, 1)));
}

TEST_CASE("the fused norm takes only what it was written for") {
  torch::NoGradGuard no_grad;
  CHECK_FALSE(fused_group_norm_applies(torch::zeros({1, 32, 4, 4})));  // NCHW
  CHECK_FALSE(fused_group_norm_applies(torch::zeros({1, 32, 4, 4}, torch::kDouble).contiguous(kChannelsLast)));
  CHECK_FALSE(fused_group_norm_applies(torch::zeros({1, 32, 16})));
  CHECK(fused_group_norm_applies(torch::zeros({1, 32, 4, 4}, torch::kBFloat16).contiguous(kChannelsLast)));
  {
    torch::AutoGradMode grad(true);
    CHECK_FALSE(fused_group_norm_applies(torch::zeros({1, 32, 4, 4}).contiguous(kChannelsLast)));
  }
  CHECK_THROWS(fused_group_norm(torch::zeros({1, 30, 4, 4}).contiguous(kChannelsLast), 32, {}, {}, {}, {}));
}
