#pragma once

#include <torch/types.h>

#include <cstdint>
#include <vector>

namespace sdm {

// What a block applies right after a normalisation: the timestep's scale and shift, then SiLU.
// Handed to the norm rather than applied after it so that, on a CPU, one pass over memory does
// the norm and all of this (see fused_group_norm): at 256² each separate element-wise op reads
// and writes a whole activation, and together they were a large share of a bf16 forward.
struct NormEpilogue {
  // [N, C] float32, each picture's ·scale + shift per channel; both or neither.
  torch::Tensor channel_scale, channel_shift;
  bool silu = false;
};

// The epilogue with ATen ops: in place when no graph is recorded (`h` is then a fresh tensor
// nobody else holds).
torch::Tensor apply_epilogue(torch::Tensor h, const NormEpilogue& epilogue);

// One picture's per-pixel modulation (SPADE's 1 + γ and β): the [C] vectors of pixel (y, x) start
// `rows[y] + columns[x]` elements after `scale` and `shift`, which have the activations' dtype.
// Offsets rather than strides so that the null maps' few-pixel patterns (see SpadeGroupNorm) serve
// a whole picture without being spread out.
// Or, with `pixel_offsets` set, pixel (y, x) finds them pixel_offsets[y·W + x] elements on: a
// palette of distinct vectors (see SpadeGroupNorm).
struct PixelModulation {
  const void* scale = nullptr;
  const void* shift = nullptr;
  std::vector<int64_t> rows, columns;
  const int64_t* pixel_offsets = nullptr;
};

// Whether fused_group_norm takes `x`: a float32 or bf16 CPU tensor [N, C, H, W] contiguous in
// channels-last, with no graph to record.
bool fused_group_norm_applies(const torch::Tensor& x);

// GroupNorm(groups) of `x` (eps 1e-5), then ·weight + bias per channel if given (float32 [C]),
// then each picture's `pixels` modulation if given (one per picture), then the epilogue; computed
// in float32 and written once, in x's dtype and layout. The statistics come from float32 partial
// sums over fixed blocks of pixels, shifted by each channel's first value and combined in float64
// in a fixed order: accurate when the mean dwarfs the spread, and the same whatever the thread
// count or the other pictures of the batch.
torch::Tensor fused_group_norm(const torch::Tensor& x, int64_t groups, const torch::Tensor& weight,
                               const torch::Tensor& bias, const std::vector<PixelModulation>& pixels,
                               const NormEpilogue& epilogue);

}  // namespace sdm
