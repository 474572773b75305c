#pragma once

#include <torch/types.h>

namespace sdm {

// 3×3 convolutions (stride 1, padding 1) by Winograd's F(4×4, 3×3) on a CPU, in float32.
//
// A 6×6 input tile and a 3×3 kernel, both transformed, give a 4×4 output tile in 36 products
// where a direct convolution takes 144: the convolution becomes 36 matrix products
// [tiles × C_in] · [C_in × C_out] between cheap linear transforms. The released 256² models spend
// most of a float32 step in 3×3 convolutions at 128² and 256², close to the CPU's float32
// matmul peak; only doing fewer products can make them faster. The transforms' coefficients
// (0, ±1, ±2, ±4, ±5, ±8 and the kernel's 1/4, 1/6, 1/12, 1/24) keep float32's error within a
// few units in the last place of the result's scale (tested against a direct convolution).
//
// The tiles are taken a band of rows at a time, so the transformed input and output held at once
// stay under 16 MiB each whatever the picture's size: blocks the C library keeps for reuse,
// rather than fresh pages the kernel must zero on each call.

// Whether winograd_conv3x3 can do this convolution: float32 on a CPU without a graph recorded,
// at least 256 channels in and out, output channels in multiples of 16 (one AVX-512 vector; input
// channels need not be: the last vector is padded with zeros), and a map of at least
// `kWinogradMinPixels` pixels, below which the direct convolution is as fast. Narrower layers
// gain nothing or lose: their products run too far below the matmul peak (sdm-convolution-speed
// and the shipped upscaler's layers, benchmarks/README.md).
bool winograd_applies(const torch::Tensor& x, const torch::Tensor& weight);
// The shape part of that: a 3×3 layer of `in_channels` → `out_channels` on maps of `pixels`.
bool winograd_applies_to_shape(int64_t pixels, int64_t in_channels, int64_t out_channels);
constexpr int64_t kWinogradMinPixels = 128 * 128;
constexpr int64_t kWinogradMinChannels = 256;

// Bytes of winograd_kernel's result for a layer of `in_channels` → `out_channels`.
int64_t winograd_kernel_bytes(int64_t in_channels, int64_t out_channels);

// The kernel [C_out, C_in, 3, 3] transformed: [36, C_in rounded up to 16, C_out], float32
// (computed in float64), the rows past C_in zero.
torch::Tensor winograd_kernel(const torch::Tensor& weight);

// conv2d(x, weight, bias, stride 1, padding 1) for x [N, C_in, H, W] (any memory format), with
// `kernel` = winograd_kernel(weight). Returns a channels-last [N, C_out, H, W]. Each picture is
// computed alone in the same bands, so a picture comes out the same bits alone and in a batch.
torch::Tensor winograd_conv3x3(const torch::Tensor& x, const torch::Tensor& kernel, const torch::Tensor& bias);

}  // namespace sdm
