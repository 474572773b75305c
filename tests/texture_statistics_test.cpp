// Grain, boundary sharpness and the 4×4 grid, against closed forms.
#include "core/base/error.h"
#include "core/evaluation/texture_statistics.h"

#include <doctest/doctest.h>
#include <torch/torch.h>

#include <cmath>

using namespace sdm;

namespace {
constexpr double kLevel = 1.0 / 127.5;  // one 8-bit level in [-1, 1]
}

TEST_CASE("grain: white noise of σ in a flat region has the high-pass RMS its blur kernel gives") {
  torch::manual_seed(0);
  const double sigma = 10;
  const auto pictures = torch::randn({4, 3, 96, 96}) * sigma * kLevel;
  const auto maps = torch::zeros({4, 96, 96}, torch::kLong);  // all channel 0: flat
  // h = n − g∗n for white n: var h = σ² (1 − 2 g₀ + Σ g²), g the 2-D Gaussian (σ 1.5, radius 5).
  auto taps = torch::arange(-5, 6, torch::kDouble);
  taps = torch::exp(-taps * taps / (2 * 1.5 * 1.5));
  taps = taps / taps.sum();
  const double g0 = std::pow(taps[5].item<double>(), 2), sum_g2 = std::pow(taps.square().sum().item<double>(), 2);
  const double expected = sigma * std::sqrt(1 - 2 * g0 + sum_g2);
  const auto stats = texture_statistics(pictures, maps, {0});
  CHECK(stats.grain == doctest::Approx(expected).epsilon(0.03));
  // Outside the flat classes nothing counts; a flat picture has none.
  CHECK(std::isnan(texture_statistics(pictures, maps, {1}).grain));
  CHECK(texture_statistics(torch::zeros({1, 3, 32, 32}), torch::zeros({1, 32, 32}, torch::kLong), {0}).grain < 1e-3);
}

TEST_CASE("boundary sharpness: a step on the label boundary has half its height as central difference") {
  auto pictures = torch::full({1, 3, 32, 32}, -0.5);
  pictures.narrow(3, 16, 16).fill_(-0.5 + 40 * kLevel);
  auto maps = torch::zeros({1, 32, 32}, torch::kLong);
  maps.narrow(2, 16, 16).fill_(2);
  CHECK(texture_statistics(pictures, maps, {}).boundary_gradient == doctest::Approx(20.0).epsilon(1e-4));
  // Blurred across the boundary, it is less sharp.
  auto soft = pictures.clone();
  soft.select(3, 15).fill_(-0.5 + 13 * kLevel);
  soft.select(3, 16).fill_(-0.5 + 27 * kLevel);
  CHECK(texture_statistics(soft, maps, {}).boundary_gradient < 15.0);
}

TEST_CASE("the 4×4 grid: noise enlarged ×4 has all its differences on the grid; noise itself none") {
  torch::manual_seed(1);
  const auto noise = torch::rand({2, 3, 64, 64}) * 2 - 1;
  const auto maps = torch::zeros({2, 64, 64}, torch::kLong);
  CHECK(texture_statistics(noise, maps, {}).block_ratio == doctest::Approx(1.0).epsilon(0.05));
  const auto blocks = noise.narrow(2, 0, 16).narrow(3, 0, 16).repeat_interleave(4, 2).repeat_interleave(4, 3);
  CHECK(std::isinf(texture_statistics(blocks, maps.narrow(1, 0, 64), {}).block_ratio));
  // Shifted by one pixel the grid is elsewhere: no longer on the 4-pixel grid.
  const auto shifted = blocks.roll(1, 3).roll(1, 2);
  CHECK(texture_statistics(shifted, maps, {}).block_ratio < 0.1);
  CHECK_THROWS_AS(texture_statistics(noise, maps.narrow(1, 0, 32), {}), Error);
}
