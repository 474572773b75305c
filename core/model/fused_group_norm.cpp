#include "core/model/fused_group_norm.h"

#include "core/base/vector_clones.h"

#include <torch/torch.h>

#include <ATen/Parallel.h>

#include <algorithm>
#include <bit>
#include <cmath>
#include <type_traits>

namespace sdm {

torch::Tensor apply_epilogue(torch::Tensor h, const NormEpilogue& epilogue) {
  const bool in_place = !torch::GradMode::is_enabled();
  if (epilogue.channel_scale.defined()) {
    auto per_channel = [&](const torch::Tensor& t) { return t.to(h.scalar_type()).unsqueeze(-1).unsqueeze(-1); };
    const auto scale = per_channel(epilogue.channel_scale), shift = per_channel(epilogue.channel_shift);
    h = in_place ? h.mul_(scale).add_(shift) : h * scale + shift;
  }
  if (epilogue.silu) h = in_place ? torch::silu_(h) : torch::silu(h);
  return h;
}

namespace {

// Statistics are summed in float32 over blocks of this many pixels, then in float64: exact
// enough, and the blocks (not the threads) fix the order of the sums.
constexpr int64_t kPixelBlock = 512;

// bf16 is the top half of a float32: widening is a shift; narrowing rounds to nearest even, as
// c10::BFloat16 does for every finite value, so the result is what ATen's casts would give.
inline float widen(float v) { return v; }
inline float widen(uint16_t v) { return std::bit_cast<float>(static_cast<uint32_t>(v) << 16); }
inline void narrow_into(float v, float& out) { out = v; }
inline void narrow_into(float v, uint16_t& out) {
  const uint32_t bits = std::bit_cast<uint32_t>(v);
  out = static_cast<uint16_t>((bits + 0x7fffu + ((bits >> 16) & 1u)) >> 16);
}

// e^v within a few ulp (Cephes' expf polynomial), branch-free so that the loops below vectorise:
// the library's expf is a call per element.
inline float exp_approx(float v) {
  v = std::min(std::max(v, -87.0f), 88.0f);  // 2^n stays a normal float
  // n = v·log2(e) rounded to the nearest integer: adding 1.5·2²³ pushes the fraction out of the
  // mantissa (floor would be a library call on plain x86-64, and a call stops vectorisation).
  constexpr float kRound = 12582912.0f;
  const float n = (v * 1.44269504088896341f + kRound) - kRound;
  float r = v - n * 0.693359375f;
  r = r + n * 2.12194440e-4f;
  float p = 1.9875691500e-4f;
  p = p * r + 1.3981999507e-3f;
  p = p * r + 8.3334519073e-3f;
  p = p * r + 4.1665795894e-2f;
  p = p * r + 1.6666665459e-1f;
  p = p * r + 5.0000001201e-1f;
  p = p * r * r + r + 1.0f;
  return p * std::bit_cast<float>(static_cast<uint32_t>(static_cast<int32_t>(n) + 127) << 23);
}

// Per channel, Σ(x − first) and Σ(x − first)² over `pixels` pixels of `channels` values each.
template <typename T>
[[gnu::always_inline]] inline void sum_block(const T* __restrict x, int64_t pixels, int64_t channels,
                                             const float* __restrict first, float* __restrict sum,
                                             float* __restrict squares) {
  for (int64_t c = 0; c < channels; ++c) sum[c] = squares[c] = 0.0f;
  for (int64_t p = 0; p < pixels; ++p, x += channels)
    for (int64_t c = 0; c < channels; ++c) {
      const float v = widen(x[c]) - first[c];
      sum[c] += v;
      squares[c] += v * v;
    }
}

// One pixel's out = epilogue(((x − mean)·a + b)·scale + shift), channel by channel. x − mean
// before the scaling, the mean as a float32 pair (high + low part): x and its group's mean agree
// in their leading digits when the spread is small, and x − high is then exact, where x·a − mean·a
// would lose those digits.
template <typename T, bool Silu>
[[gnu::always_inline]] inline void normalize_pixel(const T* __restrict x, T* __restrict out, int64_t channels,
                                                   const float* __restrict mean, const float* __restrict mean_low,
                                                   const float* __restrict a, const float* __restrict b,
                                                   const T* __restrict scale, const T* __restrict shift,
                                                   const float* __restrict channel_scale,
                                                   const float* __restrict channel_shift) {
  for (int64_t c = 0; c < channels; ++c) {
    float z = ((widen(x[c]) - mean[c]) - mean_low[c]) * a[c] + b[c];
    z = z * widen(scale[c]) + widen(shift[c]);
    z = z * channel_scale[c] + channel_shift[c];
    if constexpr (Silu) z = z / (1.0f + exp_approx(-z));
    narrow_into(z, out[c]);
  }
}


SDM_VECTOR_CLONES void sum_block_f32(const float* x, int64_t pixels, int64_t channels, const float* first, float* sum,
                                     float* squares) {
  sum_block(x, pixels, channels, first, sum, squares);
}
SDM_VECTOR_CLONES void sum_block_bf16(const uint16_t* x, int64_t pixels, int64_t channels, const float* first,
                                      float* sum, float* squares) {
  sum_block(x, pixels, channels, first, sum, squares);
}
#define SDM_NORMALIZE_PIXEL(name, T, Silu)                                                                        \
  SDM_VECTOR_CLONES void name(const T* x, T* out, int64_t channels, const float* mean, const float* mean_low,          \
                              const float* a, const float* b, const T* scale, const T* shift, const float* channel_scale, \
                              const float* channel_shift) {                                                               \
    normalize_pixel<T, Silu>(x, out, channels, mean, mean_low, a, b, scale, shift, channel_scale, channel_shift);         \
  }
SDM_NORMALIZE_PIXEL(normalize_pixel_f32, float, false)
SDM_NORMALIZE_PIXEL(normalize_pixel_f32_silu, float, true)
SDM_NORMALIZE_PIXEL(normalize_pixel_bf16, uint16_t, false)
SDM_NORMALIZE_PIXEL(normalize_pixel_bf16_silu, uint16_t, true)
#undef SDM_NORMALIZE_PIXEL

// `pixels` pixels whose modulation vectors start at offsets[p] after `scale` and `shift`.
template <typename T>
void normalize_run(bool silu, const T* x, T* out, int64_t pixels, int64_t channels, const float* mean,
                   const float* mean_low, const float* a, const float* b, const T* scale, const T* shift,
                   const int64_t* offsets, const float* channel_scale, const float* channel_shift) {
  using Pixel = void (*)(const T*, T*, int64_t, const float*, const float*, const float*, const float*, const T*, const T*,
                         const float*, const float*);
  Pixel pixel;
  if constexpr (std::is_same_v<T, float>)
    pixel = silu ? normalize_pixel_f32_silu : normalize_pixel_f32;
  else
    pixel = silu ? normalize_pixel_bf16_silu : normalize_pixel_bf16;
  for (int64_t p = 0; p < pixels; ++p)
    pixel(x + p * channels, out + p * channels, channels, mean, mean_low, a, b, scale + offsets[p], shift + offsets[p],
          channel_scale, channel_shift);
}

// Per channel of one picture [pixels, channels]: (x − mean)·a + b is its normalisation with the
// affine (mean: its group's).
template <typename T>
void normalization_coefficients(const T* x, int64_t pixels, int64_t channels, int64_t groups, const float* weight,
                                const float* bias, float* channel_mean, float* channel_mean_low, float* a, float* b) {
  std::vector<float> first(static_cast<size_t>(channels));
  for (int64_t c = 0; c < channels; ++c) first[c] = widen(x[c]);
  const int64_t blocks = (pixels + kPixelBlock - 1) / kPixelBlock;
  std::vector<float> partial(static_cast<size_t>(blocks * channels * 2));
  at::parallel_for(0, blocks, 1, [&](int64_t begin, int64_t end) {
    for (int64_t i = begin; i < end; ++i) {
      float* sums = partial.data() + i * channels * 2;
      const auto* block = x + i * kPixelBlock * channels;
      const int64_t block_pixels = std::min(kPixelBlock, pixels - i * kPixelBlock);
      if constexpr (std::is_same_v<T, float>)
        sum_block_f32(block, block_pixels, channels, first.data(), sums, sums + channels);
      else
        sum_block_bf16(block, block_pixels, channels, first.data(), sums, sums + channels);
    }
  });
  const int64_t group_channels = channels / groups;
  const double count = static_cast<double>(pixels);
  std::vector<double> mean(static_cast<size_t>(group_channels)), spread(static_cast<size_t>(group_channels));
  for (int64_t g = 0; g < groups; ++g) {
    double group_mean = 0.0, group_spread = 0.0;
    for (int64_t k = 0; k < group_channels; ++k) {
      const int64_t c = g * group_channels + k;
      double sum = 0.0, squares = 0.0;
      for (int64_t i = 0; i < blocks; ++i) {
        sum += partial[i * channels * 2 + c];
        squares += partial[i * channels * 2 + channels + c];
      }
      mean[k] = first[c] + sum / count;
      spread[k] = std::max(0.0, squares - sum * sum / count);  // Σ(x − mean)² of the channel
      group_mean += mean[k] / static_cast<double>(group_channels);
    }
    for (int64_t k = 0; k < group_channels; ++k)
      group_spread += spread[k] + count * (mean[k] - group_mean) * (mean[k] - group_mean);
    const double inverse_std = 1.0 / std::sqrt(group_spread / (count * static_cast<double>(group_channels)) + 1e-5);
    for (int64_t k = 0; k < group_channels; ++k) {
      const int64_t c = g * group_channels + k;
      const double w = weight ? weight[c] : 1.0;
      channel_mean[c] = static_cast<float>(group_mean);
      channel_mean_low[c] = static_cast<float>(group_mean - channel_mean[c]);
      a[c] = static_cast<float>(inverse_std * w);
      b[c] = bias ? bias[c] : 0.0f;
    }
  }
}

template <typename T>
void fused_group_norm_typed(const torch::Tensor& x, torch::Tensor& out, int64_t groups, const float* weight,
                            const float* bias, const std::vector<PixelModulation>& pixels,
                            const NormEpilogue& epilogue) {
  const int64_t batch = x.size(0), channels = x.size(1), height = x.size(2), width = x.size(3);
  const int64_t picture = height * width * channels;
  const T* in = static_cast<const T*>(x.data_ptr());
  T* result = static_cast<T*>(out.data_ptr());
  // Without a modulation, each stage's identity: every pixel reads the same ones and zeros.
  const std::vector<T> ones(static_cast<size_t>(channels), [] {
    T one;
    narrow_into(1.0f, one);
    return one;
  }()), zeros(static_cast<size_t>(channels), T{0});
  const std::vector<float> unit(static_cast<size_t>(channels), 1.0f), nothing(static_cast<size_t>(channels), 0.0f);
  const std::vector<int64_t> no_rows(static_cast<size_t>(height), 0), no_columns(static_cast<size_t>(width), 0);
  std::vector<float> mean(static_cast<size_t>(channels)), mean_low(static_cast<size_t>(channels));
  std::vector<float> a(static_cast<size_t>(channels)), b(static_cast<size_t>(channels));
  for (int64_t n = 0; n < batch; ++n) {
    const T* picture_in = in + n * picture;
    normalization_coefficients(picture_in, height * width, channels, groups, weight, bias, mean.data(), mean_low.data(),
                               a.data(), b.data());
    const bool modulated = !pixels.empty();
    const T* scale = modulated ? static_cast<const T*>(pixels[n].scale) : ones.data();
    const T* shift = modulated ? static_cast<const T*>(pixels[n].shift) : zeros.data();
    const auto& rows = modulated ? pixels[n].rows : no_rows;
    const auto& columns = modulated ? pixels[n].columns : no_columns;
    const int64_t* table = modulated ? pixels[n].pixel_offsets : nullptr;
    const bool per_channel = epilogue.channel_scale.defined();
    const float* channel_scale = per_channel ? epilogue.channel_scale.data_ptr<float>() + n * channels : unit.data();
    const float* channel_shift = per_channel ? epilogue.channel_shift.data_ptr<float>() + n * channels : nothing.data();
    at::parallel_for(0, height, 1, [&](int64_t begin, int64_t end) {
      std::vector<int64_t> offsets(static_cast<size_t>(width));
      for (int64_t y = begin; y < end; ++y) {
        if (!table)
          for (int64_t i = 0; i < width; ++i) offsets[i] = rows[y] + columns[i];
        const int64_t start = y * width * channels;
        normalize_run(epilogue.silu, picture_in + start, result + n * picture + start, width, channels, mean.data(),
                      mean_low.data(), a.data(), b.data(), scale, shift, table ? table + y * width : offsets.data(),
                      channel_scale, channel_shift);
      }
    });
  }
}

}  // namespace

bool fused_group_norm_applies(const torch::Tensor& x) {
  return !torch::GradMode::is_enabled() && x.device().is_cpu() && x.dim() == 4 &&
         (x.scalar_type() == torch::kFloat || x.scalar_type() == torch::kBFloat16) &&
         x.is_contiguous(torch::MemoryFormat::ChannelsLast);
}

torch::Tensor fused_group_norm(const torch::Tensor& x, int64_t groups, const torch::Tensor& weight,
                               const torch::Tensor& bias, const std::vector<PixelModulation>& pixels,
                               const NormEpilogue& epilogue) {
  TORCH_CHECK(fused_group_norm_applies(x), "fused_group_norm: x must be a channels-last float32 or bf16 CPU tensor");
  TORCH_CHECK(x.size(1) % groups == 0, "fused_group_norm: ", x.size(1), " channels do not split into ", groups, " groups");
  TORCH_CHECK(pixels.empty() || static_cast<int64_t>(pixels.size()) == x.size(0), "fused_group_norm: one modulation per picture");
  auto as_float = [](const torch::Tensor& t) { return t.defined() ? t.to(torch::kFloat).contiguous() : t; };
  const auto w = as_float(weight), b = as_float(bias);
  NormEpilogue e{as_float(epilogue.channel_scale), as_float(epilogue.channel_shift), epilogue.silu};
  auto out = torch::empty_like(x, torch::MemoryFormat::ChannelsLast);
  const float* w_data = w.defined() ? w.data_ptr<float>() : nullptr;
  const float* b_data = b.defined() ? b.data_ptr<float>() : nullptr;
  if (x.scalar_type() == torch::kFloat)
    fused_group_norm_typed<float>(x, out, groups, w_data, b_data, pixels, e);
  else
    fused_group_norm_typed<uint16_t>(x, out, groups, w_data, b_data, pixels, e);
  return out;
}

}  // namespace sdm
