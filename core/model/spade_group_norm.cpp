#include "core/model/spade_group_norm.h"

#include "core/model/group_norm32.h"
#include "core/model/modulation_palette.h"

#include <torch/torch.h>

#include <algorithm>
#include <array>
#include <vector>

namespace sdm {

namespace {

// x·scale + shift, in place when no graph is recorded: `normalized` is a fresh tensor nobody else
// holds, and at 256² each temporary is hundreds of MB.
torch::Tensor modulate(torch::Tensor normalized, const torch::Tensor& scale, const torch::Tensor& shift) {
  if (torch::GradMode::is_enabled()) return normalized * scale + shift;
  return normalized.mul_(scale).add_(shift);
}

// Along one dimension of `extent` pixels: which pixels of a null-map pattern of `pattern` pixels
// (see modulation_pattern_size) each run of pixels takes. A pattern as large as the map is the map.
struct Run {
  int64_t start, length, pattern_start, pattern_length;
};
std::vector<Run> runs(int64_t extent, int64_t pattern, int64_t border) {
  if (pattern == extent) return {{0, extent, 0, extent}};
  return {{0, border, 0, border}, {border, extent - 2 * border, border, 1}, {extent - border, border, border + 1, border}};
}

// Where each pixel of the runs finds its pattern pixel: offsets `step` elements apart.
std::vector<int64_t> offsets(const std::vector<Run>& runs, int64_t step) {
  std::vector<int64_t> out;
  for (const auto& r : runs)
    for (int64_t i = 0; i < r.length; ++i) out.push_back((r.pattern_start + std::min(i, r.pattern_length - 1)) * step);
  return out;
}

}  // namespace

SpadeGroupNormImpl::SpadeGroupNormImpl(int64_t channels, int64_t label_channels, int64_t hidden, int64_t kernel)
    : mlp_shared_(register_module("mlp_shared", torch::nn::Sequential(same_conv2d(label_channels, hidden, kernel), torch::nn::ReLU()))),
      mlp_gamma_(register_module("mlp_gamma", same_conv2d(hidden, channels, kernel))),
      mlp_beta_(register_module("mlp_beta", same_conv2d(hidden, channels, kernel))),
      label_channels_(label_channels),
      border_(kernel / 2) {
  // γ and β are computed once per picture and cached: where these layers are wide enough for
  // Winograd (a hidden width or a class count of 256 or more; the released models have 128 and
  // fewer), their kept kernels would sit idle.
  mlp_shared_[0]->as<ConvolutionImpl>()->keeps_winograd_kernel = false;
  mlp_gamma_->keeps_winograd_kernel = false;
  mlp_beta_->keeps_winograd_kernel = false;
}

SpadeModulation SpadeGroupNormImpl::modulation(const LabelConditioning& labels, int64_t height, int64_t width,
                                               c10::ScalarType dtype, bool as_palette) {
  // One map at a time without autograd (the first step only: later ones reuse the cache): oneDNN
  // picks its convolution algorithm by batch size, and a picture's γ and β must not depend on the
  // batch around it, or a variation sampled alone would differ from the same one in a batch.
  auto at_layer_size = [&](const torch::Tensor& maps) { return torch::upsample_nearest2d(maps.to(dtype), {height, width}); };
  auto scale_shift = [&](const torch::Tensor& maps) {
    auto actv = mlp_shared_->forward(at_layer_size(maps));
    return std::pair{1 + mlp_gamma_(actv), mlp_beta_(actv)};
  };
  SpadeModulation m;
  const auto& maps = labels.labels();
  if (maps.size(0) == 0) {
    // Null maps only (the unconditional pass on its own).
  } else if (as_palette) {
    const SpadeConvolutions convolutions{*mlp_shared_[0]->as<ConvolutionImpl>(), *mlp_gamma_, *mlp_beta_};
    for (int64_t i = 0; i < maps.size(0); ++i)
      add_to_modulation_palette(m, at_layer_size(maps.narrow(0, i, 1)), convolutions);
  } else if (torch::GradMode::is_enabled() || maps.size(0) == 1) {
    std::tie(m.scale, m.shift) = scale_shift(maps);
  } else {
    std::vector<torch::Tensor> scales, shifts;
    for (int64_t i = 0; i < maps.size(0); ++i) {
      auto [scale, shift] = scale_shift(maps.narrow(0, i, 1));
      scales.push_back(std::move(scale));
      shifts.push_back(std::move(shift));
    }
    m.scale = torch::cat(scales);
    m.shift = torch::cat(shifts);
  }
  if (labels.null_maps() > 0) {
    // On the all-zero map the shared conv gives its bias at every pixel; γ's and β's convs then
    // see that constant wherever their kernel lies inside the picture, and zero padding where it
    // reaches past the edge. So their output takes one value inside and others only within
    // `border_` pixels of an edge: all of them appear on a zero map of 2·border + 1 pixels.
    const auto pattern = torch::zeros({1, label_channels_, std::min(height, 2 * border_ + 1), std::min(width, 2 * border_ + 1)},
                                      labels.labels().options().dtype(dtype));
    auto actv = mlp_shared_->forward(pattern);
    m.null_scale = 1 + mlp_gamma_(actv);
    m.null_shift = mlp_beta_(actv);
  }
  return m;
}

torch::Tensor SpadeGroupNormImpl::forward(const torch::Tensor& x, LabelConditioning& labels, const NormEpilogue& epilogue) {
  const int64_t height = x.size(2), width = x.size(3);
  const bool fused = fused_group_norm_applies(x);
  SpadeModulation computed;
  const SpadeModulation* m = labels.cached(this, height, width);
  if (!m) {
    // Kept for every later step of the fused norm as one vector per distinct label neighbourhood
    // (the same values to rounding, computed far faster); computed anew for every forward, as maps.
    computed = modulation(labels, height, width, x.scalar_type(), fused && labels.caches_modulation());
    // Cached channels-last where the fused norm will read its vectors (x's own strides need not
    // say so: a batch of one may carry any batch stride).
    if (fused)
      for (auto* t : {&computed.scale, &computed.shift, &computed.null_scale, &computed.null_shift})
        if (t->dim() == 4) *t = t->contiguous(torch::MemoryFormat::ChannelsLast);  // a palette's [K, C] is already
    labels.remember(this, height, width, computed);
    m = &computed;
  }
  const int64_t real = labels.labels().size(0), null_maps = labels.null_maps();
  std::vector<Run> row_runs, column_runs;
  if (null_maps > 0)
    row_runs = runs(height, m->null_scale.size(2), border_), column_runs = runs(width, m->null_scale.size(3), border_);
  if (fused) {
    // Each picture's vectors where the kernel reads them: its own map, or the null maps' pattern.
    const int64_t channels = x.size(1);
    TORCH_CHECK((real == 0 || !m->pixel_offsets.empty() || m->scale.is_contiguous(torch::MemoryFormat::ChannelsLast)) &&
                    (null_maps == 0 || m->null_scale.is_contiguous(torch::MemoryFormat::ChannelsLast)),
                "SPADE: the cached modulation is not channels-last (the network's layout changed mid-sample)");
    std::vector<PixelModulation> pixels;
    if (real > 0 && !m->pixel_offsets.empty()) {
      for (int64_t i = 0; i < real; ++i) pixels.push_back({m->scale.data_ptr(), m->shift.data_ptr(), {}, {}, m->pixel_offsets[i].data()});
    } else if (real > 0) {
      const auto rows = offsets(runs(height, height, border_), width * channels), columns = offsets(runs(width, width, border_), channels);
      for (int64_t i = 0; i < real; ++i) pixels.push_back({m->scale[i].data_ptr(), m->shift[i].data_ptr(), rows, columns});
    }
    if (null_maps > 0)
      pixels.insert(pixels.end(), null_maps,
                    {m->null_scale.data_ptr(), m->null_shift.data_ptr(), offsets(row_runs, m->null_scale.size(3) * channels),
                     offsets(column_runs, channels)});
    return fused_group_norm(x, kGroupNormGroups, {}, {}, pixels, epilogue);
  }

  TORCH_CHECK(m->pixel_offsets.empty(), "SPADE: the cached modulation is a palette for channels-last input (the network's layout changed mid-sample)");
  auto normalized = group_norm_in_float32(x);
  if (null_maps == 0) return apply_epilogue(modulate(normalized, m->scale, m->shift), epilogue);
  if (torch::GradMode::is_enabled()) {
    // For autograd, the null maps' modulation spelled out at full size.
    auto spread = [&](const torch::Tensor& pattern) {
      std::vector<torch::Tensor> rows;
      for (const auto& r : row_runs) {
        std::vector<torch::Tensor> cells;
        for (const auto& c : column_runs)
          cells.push_back(pattern.narrow(2, r.pattern_start, r.pattern_length).narrow(3, c.pattern_start, c.pattern_length)
                              .expand({-1, -1, r.length, c.length}));
        rows.push_back(torch::cat(cells, 3));
      }
      return torch::cat(rows, 2);
    };
    auto null_part = modulate(normalized.narrow(0, real, null_maps), spread(m->null_scale), spread(m->null_shift));
    if (real == 0) return apply_epilogue(null_part, epilogue);
    return apply_epilogue(torch::cat({modulate(normalized.narrow(0, 0, real), m->scale, m->shift), null_part}), epilogue);
  }
  if (real > 0) modulate(normalized.narrow(0, 0, real), m->scale, m->shift);
  // The null maps: each region of the picture (inside, edges, corners) broadcasts its value.
  const auto null_part = normalized.narrow(0, real, null_maps);
  for (const auto& r : row_runs)
    for (const auto& c : column_runs) {
      if (r.length == 0 || c.length == 0) continue;
      auto pattern = [&](const torch::Tensor& t) {
        return t.narrow(2, r.pattern_start, r.pattern_length).narrow(3, c.pattern_start, c.pattern_length);
      };
      modulate(null_part.narrow(2, r.start, r.length).narrow(3, c.start, c.length), pattern(m->null_scale),
               pattern(m->null_shift));
    }
  return apply_epilogue(normalized, epilogue);
}

}  // namespace sdm
