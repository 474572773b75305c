#include "core/model/winograd_convolution.h"

#include "core/base/vector_clones.h"

#include <ATen/Parallel.h>
#include <torch/torch.h>

#include <algorithm>

namespace sdm {
namespace {

constexpr int64_t kLanes = 16;  // channels transformed together: one AVX-512 register
constexpr int64_t kInputTile = 6;      // a 6×6 input tile …
constexpr int64_t kOutputTile = 4;     // … gives a 4×4 output tile
constexpr int64_t kPoints = kInputTile * kInputTile;
constexpr int64_t kBandBytes = int64_t{16} << 20;

// Bᵀ·d for six rows d(0…5) of kLanes channels, `stride` floats apart (the input transform, one
// axis).
inline void input_transform_axis(const float* d, int64_t stride, float* out) {
  for (int64_t c = 0; c < kLanes; ++c) {
    auto in = [&](int k) { return d[k * stride + c]; };
    out[c] = 4 * in(0) - 5 * in(2) + in(4);
    out[stride + c] = -4 * (in(1) + in(2)) + in(3) + in(4);
    out[2 * stride + c] = 4 * (in(1) - in(2)) - in(3) + in(4);
    out[3 * stride + c] = 2 * (in(3) - in(1)) - in(2) + in(4);
    out[4 * stride + c] = 2 * (in(1) - in(3)) - in(2) + in(4);
    out[5 * stride + c] = 4 * in(1) - 5 * in(3) + in(5);
  }
}

// Aᵀ·m for six rows m(0…5) (four out), `in_stride` and `out_stride` floats apart.
inline void output_transform_axis(const float* m, int64_t in_stride, float* out, int64_t out_stride) {
  for (int64_t c = 0; c < kLanes; ++c) {
    auto in = [&](int k) { return m[k * in_stride + c]; };
    const float sum12 = in(1) + in(2), diff12 = in(1) - in(2);
    const float sum34 = in(3) + in(4), diff34 = in(3) - in(4);
    out[c] = in(0) + sum12 + sum34;
    out[out_stride + c] = diff12 + 2 * diff34;
    out[2 * out_stride + c] = sum12 + 4 * sum34;
    out[3 * out_stride + c] = diff12 + 8 * diff34 + in(5);
  }
}

// G·(k0, k1, k2)ᵀ, the kernel transform along one axis (interpolation points 0, ±1, ±2 and ∞),
// into column `column` of `out`. In float64: the 1/6 and 1/24 are not exact in float32.
template <size_t Columns>
inline void kernel_transform_axis(double k0, double k1, double k2, double (&out)[kInputTile][Columns], int64_t column) {
  out[0][column] = k0 / 4;
  out[1][column] = -(k0 + k1 + k2) / 6;
  out[2][column] = -(k0 - k1 + k2) / 6;
  out[3][column] = k0 / 24 + k1 / 12 + k2 / 6;
  out[4][column] = k0 / 24 - k1 / 12 + k2 / 6;
  out[5][column] = k2;
}

struct Geometry {
  int64_t height, width, in_channels, out_channels, tiles_wide;
  int64_t in_lanes;  // C_in rounded up to whole lanes: the products' inner size
};

int64_t whole_lanes(int64_t channels) { return (channels + kLanes - 1) / kLanes * kLanes; }


// The transformed input of tiles [begin, end) of a band starting at tile row `first_row`, into
// v [36, band_tiles, in_lanes]. Taps outside the picture are the padding's zeros.
SDM_VECTOR_CLONES void transform_input_tiles(const float* x, const Geometry& g, int64_t first_row, int64_t begin,
                                             int64_t end, float* v, int64_t band_tiles) {
  alignas(64) float d[kPoints * kLanes];
  alignas(64) float rows[kPoints * kLanes];
  alignas(64) float both[kPoints * kLanes];
  for (int64_t t = begin; t < end; ++t) {
    const int64_t top = (first_row + t / g.tiles_wide) * kOutputTile - 1;
    const int64_t left = (t % g.tiles_wide) * kOutputTile - 1;
    for (int64_t c0 = 0; c0 < g.in_channels; c0 += kLanes) {  // the last lanes zero past C_in
      for (int64_t i = 0; i < kInputTile; ++i) {
        const int64_t y = top + i;
        for (int64_t j = 0; j < kInputTile; ++j) {
          const int64_t xx = left + j;
          float* lane = d + (i * kInputTile + j) * kLanes;
          const int64_t present = y < 0 || y >= g.height || xx < 0 || xx >= g.width ? 0 : std::min(kLanes, g.in_channels - c0);
          const float* source = x + (y * g.width + xx) * g.in_channels + c0;
          std::copy(source, source + present, lane);
          std::fill(lane + present, lane + kLanes, 0.0f);
        }
      }
      for (int64_t j = 0; j < kInputTile; ++j)
        input_transform_axis(d + j * kLanes, kInputTile * kLanes, rows + j * kLanes);
      for (int64_t i = 0; i < kInputTile; ++i)
        input_transform_axis(rows + i * kInputTile * kLanes, kLanes, both + i * kInputTile * kLanes);
      for (int64_t p = 0; p < kPoints; ++p)
        std::copy(both + p * kLanes, both + (p + 1) * kLanes, v + (p * band_tiles + t) * g.in_lanes + c0);
    }
  }
}

// The output of tiles [begin, end) from m [36, band_tiles, C_out], plus the bias, into the
// channels-last picture `y` (cropped at its edges).
SDM_VECTOR_CLONES void transform_output_tiles(const float* m, const float* bias, const Geometry& g, int64_t first_row,
                                              int64_t begin, int64_t end, int64_t band_tiles, float* y) {
  alignas(64) float gathered[kPoints * kLanes];
  alignas(64) float rows[kOutputTile * kInputTile * kLanes];
  alignas(64) float tile[kOutputTile * kOutputTile * kLanes];
  for (int64_t t = begin; t < end; ++t) {
    const int64_t top = (first_row + t / g.tiles_wide) * kOutputTile;
    const int64_t left = (t % g.tiles_wide) * kOutputTile;
    for (int64_t c0 = 0; c0 < g.out_channels; c0 += kLanes) {
      for (int64_t p = 0; p < kPoints; ++p) {
        const float* source = m + (p * band_tiles + t) * g.out_channels + c0;
        std::copy(source, source + kLanes, gathered + p * kLanes);
      }
      for (int64_t j = 0; j < kInputTile; ++j)
        output_transform_axis(gathered + j * kLanes, kInputTile * kLanes, rows + j * kLanes, kInputTile * kLanes);
      for (int64_t i = 0; i < kOutputTile; ++i)
        output_transform_axis(rows + i * kInputTile * kLanes, kLanes, tile + i * kOutputTile * kLanes, kLanes);
      for (int64_t i = 0; i < kOutputTile && top + i < g.height; ++i) {
        for (int64_t j = 0; j < kOutputTile && left + j < g.width; ++j) {
          const float* value = tile + (i * kOutputTile + j) * kLanes;
          float* target = y + ((top + i) * g.width + left + j) * g.out_channels + c0;
          for (int64_t c = 0; c < kLanes; ++c) target[c] = value[c] + bias[c0 + c];
        }
      }
    }
  }
}

}  // namespace

bool winograd_applies_to_shape(int64_t pixels, int64_t in_channels, int64_t out_channels) {
  return pixels >= kWinogradMinPixels && in_channels >= kWinogradMinChannels && out_channels >= kWinogradMinChannels &&
         out_channels % kLanes == 0;
}

bool winograd_applies(const torch::Tensor& x, const torch::Tensor& weight) {
  const bool records_graph = torch::GradMode::is_enabled() && (x.requires_grad() || weight.requires_grad());
  return x.device().is_cpu() && x.scalar_type() == torch::kFloat && weight.scalar_type() == torch::kFloat &&
         x.dim() == 4 && weight.dim() == 4 && weight.size(2) == 3 && weight.size(3) == 3 && !records_graph &&
         winograd_applies_to_shape(x.size(2) * x.size(3), weight.size(1), weight.size(0));
}

int64_t winograd_kernel_bytes(int64_t in_channels, int64_t out_channels) {
  return kPoints * whole_lanes(in_channels) * out_channels * int64_t{sizeof(float)};
}

torch::Tensor winograd_kernel(const torch::Tensor& weight) {
  const auto w = weight.detach().to(torch::kFloat).contiguous();
  const int64_t out_channels = w.size(0), in_channels = w.size(1);
  // Rows past C_in are zero: they meet the input's zero lanes.
  auto u = torch::zeros({kPoints, whole_lanes(in_channels), out_channels}, w.options());
  const int64_t rows = u.size(1);
  const float* source = w.data_ptr<float>();
  float* target = u.data_ptr<float>();
  at::parallel_for(0, in_channels, 1, [&](int64_t begin, int64_t end) {
    for (int64_t c = begin; c < end; ++c) {
      for (int64_t o = 0; o < out_channels; ++o) {
        const float* k = source + (o * in_channels + c) * 9;
        double columns[kInputTile][3];  // G·k
        for (int64_t l = 0; l < 3; ++l) kernel_transform_axis(k[l], k[3 + l], k[6 + l], columns, l);
        for (int64_t i = 0; i < kInputTile; ++i) {
          double both[kInputTile][1];  // (G·k)·Gᵀ, row i
          kernel_transform_axis(columns[i][0], columns[i][1], columns[i][2], both, 0);
          for (int64_t j = 0; j < kInputTile; ++j)
            target[((i * kInputTile + j) * rows + c) * out_channels + o] = static_cast<float>(both[j][0]);
        }
      }
    }
  });
  return u;
}

torch::Tensor winograd_conv3x3(const torch::Tensor& x_in, const torch::Tensor& kernel, const torch::Tensor& bias_in) {
  const auto x = x_in.contiguous(torch::MemoryFormat::ChannelsLast);
  const auto bias = bias_in.contiguous();
  const Geometry g{x.size(2), x.size(3), x.size(1), kernel.size(2), (x.size(3) + kOutputTile - 1) / kOutputTile,
                   whole_lanes(x.size(1))};
  TORCH_CHECK(kernel.size(0) == kPoints && kernel.size(1) == g.in_lanes && bias.numel() == g.out_channels,
              "winograd_conv3x3: kernel [", kernel.sizes(), "] does not fit ", g.in_channels, " input channels");
  const int64_t tiles_high = (g.height + kOutputTile - 1) / kOutputTile;
  const int64_t row_bytes = kPoints * g.tiles_wide * std::max(g.in_lanes, g.out_channels) * int64_t{sizeof(float)};
  const int64_t band_rows = std::clamp<int64_t>(kBandBytes / row_bytes, 1, tiles_high);
  const int64_t band_capacity = band_rows * g.tiles_wide;

  auto y = torch::empty({x.size(0), g.out_channels, g.height, g.width},
                        x.options().memory_format(torch::MemoryFormat::ChannelsLast));
  auto v = torch::empty({kPoints, band_capacity, g.in_lanes}, x.options());
  auto m = torch::empty({kPoints, band_capacity, g.out_channels}, x.options());
  const int64_t picture_in = g.height * g.width * g.in_channels;
  const int64_t picture_out = g.height * g.width * g.out_channels;
  for (int64_t n = 0; n < x.size(0); ++n) {
    const float* source = x.data_ptr<float>() + n * picture_in;
    float* target = y.data_ptr<float>() + n * picture_out;
    for (int64_t first_row = 0; first_row < tiles_high; first_row += band_rows) {
      const int64_t band_tiles = std::min(band_rows, tiles_high - first_row) * g.tiles_wide;
      // A short last band uses the buffers' first rows with the full band's strides.
      at::parallel_for(0, band_tiles, 1, [&](int64_t begin, int64_t end) {
        transform_input_tiles(source, g, first_row, begin, end, v.data_ptr<float>(), band_capacity);
      });
      auto band_m = m.narrow(1, 0, band_tiles);
      at::bmm_out(band_m, v.narrow(1, 0, band_tiles), kernel);
      at::parallel_for(0, band_tiles, 1, [&](int64_t begin, int64_t end) {
        transform_output_tiles(m.data_ptr<float>(), bias.data_ptr<float>(), g, first_row, begin, end, band_capacity,
                               target);
      });
    }
  }
  return y;
}

}  // namespace sdm
