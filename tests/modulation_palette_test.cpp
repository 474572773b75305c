// SPADE's modulation computed once per distinct label neighbourhood, against the convolutions
// over the whole map in float64.
#include "core/model/convolution.h"
#include "core/model/modulation_palette.h"

#include "test_support.h"

#include <doctest/doctest.h>
#include <torch/torch.h>

using namespace sdm;
using test::relative_error;

namespace {

struct Layers {
  Convolution shared, gamma, beta;
};

Layers spade_layers(int64_t labels, int64_t hidden, int64_t channels, int64_t kernel) {
  return {same_conv2d(labels, hidden, kernel), same_conv2d(hidden, channels, kernel), same_conv2d(hidden, channels, kernel)};
}

// 1 + γ and β as SPADE defines them, over the whole map in float64: [H·W, C] each.
std::pair<torch::Tensor, torch::Tensor> modulation_f64(const Layers& l, const torch::Tensor& map) {
  auto conv = [](const Convolution& c, const torch::Tensor& x) {
    return torch::conv2d(x.to(torch::kDouble), c->weight.to(torch::kDouble), c->bias.to(torch::kDouble), 1, c->options.kernel / 2);
  };
  const auto hidden = conv(l.shared, map).relu();
  auto rows = [](const torch::Tensor& t) { return t[0].permute({1, 2, 0}).reshape({-1, t.size(1)}); };
  return {rows(1 + conv(l.gamma, hidden)), rows(conv(l.beta, hidden))};
}

// Picture `picture`'s palette spelled out per pixel: [H·W, C].
torch::Tensor per_pixel(const torch::Tensor& palette, const SpadeModulation& m, size_t picture) {
  std::vector<int64_t> rows;
  for (int64_t offset : m.pixel_offsets[picture]) rows.push_back(offset / palette.size(1));
  return palette.index_select(0, torch::tensor(rows, torch::kLong));
}

// A one-hot map of `labels` classes (the last channel an edge map, as with instance edges): a
// wavy boundary between two classes, a disc of a third, a one-pixel line of a fourth.
torch::Tensor region_map(int64_t labels, int64_t height, int64_t width) {
  auto map = torch::zeros({1, labels, height, width});
  auto a = map.accessor<float, 4>();
  for (int64_t y = 0; y < height; ++y)
    for (int64_t x = 0; x < width; ++x) {
      const double wave = height * 0.5 + 3.0 * std::sin(x * 0.2);
      int64_t label = y < wave ? 2 : 5;
      if ((y - 8) * (y - 8) + (x - 9) * (x - 9) < 20) label = 7;
      if (x == width - 6) label = 11;
      a[0][label][y][x] = 1;
      if (std::abs(y - wave) < 1) a[0][labels - 1][y][x] = 1;
    }
  return map;
}

}  // namespace

TEST_CASE("SPADE's modulation per distinct neighbourhood is its convolutions over the whole map") {
  torch::NoGradGuard no_grad;
  torch::manual_seed(21);
  for (int64_t kernel : {3, 5}) {
    CAPTURE(kernel);
    const auto layers = spade_layers(13, 16, 24, kernel);
    const SpadeConvolutions convolutions{*layers.shared, *layers.gamma, *layers.beta};
    // A map of regions (61 × 47: neither side even) and one of noise, where no two
    // neighbourhoods agree and the 180² of them take two blocks of gathered inputs.
    const auto regions = region_map(13, 61, 47);
    const auto noise = torch::one_hot(torch::randint(12, {1, 180, 180}), 13).permute({0, 3, 1, 2}).to(torch::kFloat);
    SpadeModulation m;
    add_to_modulation_palette(m, regions, convolutions);
    add_to_modulation_palette(m, noise, convolutions);
    REQUIRE(m.pixel_offsets.size() == 2);

    const auto [region_scale, region_shift] = modulation_f64(layers, regions);
    CHECK(relative_error(per_pixel(m.scale, m, 0), region_scale) < 1e-5);
    CHECK(relative_error(per_pixel(m.shift, m, 0), region_shift) < 1e-5);
    const auto [noise_scale, noise_shift] = modulation_f64(layers, noise);
    CHECK(relative_error(per_pixel(m.scale, m, 1), noise_scale) < 1e-5);
    CHECK(relative_error(per_pixel(m.shift, m, 1), noise_shift) < 1e-5);

    // The regions take a fraction of their pixels' rows; the noise map's rows follow theirs.
    const int64_t region_rows =
        *std::max_element(m.pixel_offsets[0].begin(), m.pixel_offsets[0].end()) / m.scale.size(1) + 1;
    CHECK(region_rows < 61 * 47 / 3);
    CHECK(*std::min_element(m.pixel_offsets[1].begin(), m.pixel_offsets[1].end()) == region_rows * m.scale.size(1));
    CHECK(m.scale.size(0) == m.shift.size(0));
  }
}

TEST_CASE("SPADE's modulation per neighbourhood in bf16 stays within bf16's rounding of float64") {
  torch::NoGradGuard no_grad;
  torch::manual_seed(22);
  auto layers = spade_layers(13, 32, 48, 3);
  const auto map = region_map(13, 40, 40);
  const auto [scale, shift] = modulation_f64(layers, map);
  for (auto* c : {&layers.shared, &layers.gamma, &layers.beta}) (*c)->to(torch::kBFloat16);
  SpadeModulation m;
  add_to_modulation_palette(m, map.to(torch::kBFloat16), {*layers.shared, *layers.gamma, *layers.beta});
  CHECK((m.scale.scalar_type() == torch::kBFloat16));
  // Weights and the hidden activations rounded to 8 bits of mantissa: a few 2⁻⁸ of the spread.
  CHECK(relative_error(per_pixel(m.scale, m, 0), scale) < 2e-2);
  CHECK(relative_error(per_pixel(m.shift, m, 0), shift) < 2e-2);
}
