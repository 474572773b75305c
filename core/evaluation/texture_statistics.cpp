#include "core/evaluation/texture_statistics.h"

#include "core/base/error.h"
#include "core/diffusion/low_res_conditioning.h"

#include <torch/torch.h>

#include <cmath>

namespace sdm {

namespace {

constexpr double kGrainSigma = 1.5;
constexpr int kGrainErosion = 3;
constexpr int kGrid = 4;

// Pixels whose whole (2r + 1)² neighbourhood is in `mask` ([N, H, W] bool).
torch::Tensor eroded(const torch::Tensor& mask, int radius) {
  namespace F = torch::nn::functional;
  const auto outside = (~mask).to(torch::kFloat).unsqueeze(1);
  const auto grown = F::max_pool2d(F::pad(outside, F::PadFuncOptions({radius, radius, radius, radius}).value(1.0)),
                                   F::MaxPool2dFuncOptions(2 * radius + 1).stride(1));
  return grown.squeeze(1) == 0;
}

}  // namespace

TextureStatistics texture_statistics(const torch::Tensor& pictures, const torch::Tensor& maps, const std::vector<int64_t>& flat) {
  if (pictures.dim() != 4 || pictures.size(1) != 3 || maps.dim() != 3 || maps.size(0) != pictures.size(0) ||
      maps.size(1) != pictures.size(2) || maps.size(2) != pictures.size(3))
    throw Error("texture statistics: one map of the pictures' size per picture is needed");
  torch::NoGradGuard no_grad;
  using torch::indexing::None;
  using torch::indexing::Slice;
  const auto x = (pictures.to(torch::kFloat).cpu() + 1) * 127.5;
  const auto map = maps.to(torch::kLong).cpu();
  TextureStatistics statistics;

  auto flat_mask = torch::zeros_like(map, torch::kBool);
  for (const int64_t channel : flat) flat_mask |= map == channel;
  const auto inside = eroded(flat_mask, kGrainErosion).unsqueeze(1).expand_as(x);
  const auto high_pass = (x - gaussian_blur(x, kGrainSigma)).masked_select(inside);
  statistics.grain = high_pass.numel() ? high_pass.square().mean().sqrt().item<double>() : std::nan("");

  const auto grey = x.mean(1);
  const auto dx = (grey.index({Slice(), Slice(1, -1), Slice(2, None)}) - grey.index({Slice(), Slice(1, -1), Slice(None, -2)})) / 2;
  const auto dy = (grey.index({Slice(), Slice(2, None), Slice(1, -1)}) - grey.index({Slice(), Slice(None, -2), Slice(1, -1)})) / 2;
  const auto centre = map.index({Slice(), Slice(1, -1), Slice(1, -1)});
  const auto boundary = (centre != map.index({Slice(), Slice(1, -1), Slice(2, None)})) | (centre != map.index({Slice(), Slice(1, -1), Slice(None, -2)})) |
                        (centre != map.index({Slice(), Slice(2, None), Slice(1, -1)})) | (centre != map.index({Slice(), Slice(None, -2), Slice(1, -1)}));
  const auto gradient = (dx.square() + dy.square()).sqrt().masked_select(boundary);
  statistics.boundary_gradient = gradient.numel() ? gradient.mean().item<double>() : std::nan("");

  // Differences between neighbours: column k + 1 minus column k, row likewise; the grid is
  // between k ≡ 3 and k + 1 ≡ 0 (mod 4).
  const auto across_columns = (x.index({Slice(), Slice(), Slice(), Slice(1, None)}) - x.index({Slice(), Slice(), Slice(), Slice(None, -1)})).square();
  const auto across_rows = (x.index({Slice(), Slice(), Slice(1, None), Slice()}) - x.index({Slice(), Slice(), Slice(None, -1), Slice()})).square();
  auto on_grid = [](const torch::Tensor& differences, int64_t dim) {
    return (torch::arange(differences.size(dim)) % kGrid == kGrid - 1);
  };
  const auto column_grid = on_grid(across_columns, 3).view({1, 1, 1, -1}).expand_as(across_columns);
  const auto row_grid = on_grid(across_rows, 2).view({1, 1, -1, 1}).expand_as(across_rows);
  const double on = torch::cat({across_columns.masked_select(column_grid), across_rows.masked_select(row_grid)}).mean().item<double>();
  const double off = torch::cat({across_columns.masked_select(~column_grid), across_rows.masked_select(~row_grid)}).mean().item<double>();
  statistics.block_ratio = off > 0 ? on / off : (on > 0 ? INFINITY : 1.0);
  return statistics;
}

}  // namespace sdm
