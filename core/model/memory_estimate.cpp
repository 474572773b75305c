#include "core/model/memory_estimate.h"

#include "core/model/winograd_convolution.h"

#include <c10/util/typeid.h>

#include <vector>

namespace sdm {

namespace {

int64_t pixels(const ModelConfig& c, int level) { return int64_t{c.image_height >> level} * (c.image_width >> level); }

// A decoder block, following the U-Net's construction: its level, the channels it takes (the
// previous output and its skip joined) and gives, and whether it ends by upsampling to the
// level above.
struct DecoderBlock {
  int level;
  int64_t in_channels, out_channels;
  bool upsamples;
};

// The decoder's blocks in the order they run.
std::vector<DecoderBlock> decoder_blocks(const ModelConfig& c) {
  const int levels = static_cast<int>(c.channel_mult.size());
  std::vector<int64_t> skips{int64_t{c.channel_mult.front()} * c.num_channels};
  int64_t ch = skips.front();
  for (int level = 0; level < levels; ++level) {
    for (int i = 0; i < c.num_res_blocks; ++i) skips.push_back(ch = int64_t{c.channel_mult[level]} * c.num_channels);
    if (level != levels - 1) skips.push_back(ch);
  }
  std::vector<DecoderBlock> blocks;
  for (int level = levels - 1; level >= 0; --level)
    for (int i = 0; i <= c.num_res_blocks; ++i) {
      const int64_t in = ch + skips.back();
      skips.pop_back();
      ch = int64_t{c.channel_mult[level]} * c.num_channels;
      blocks.push_back({level, in, ch, level > 0 && i == c.num_res_blocks});
    }
  return blocks;
}

// The middle block's channels: the deepest level's.
int64_t middle_channels(const ModelConfig& c) { return int64_t{c.channel_mult.back()} * c.num_channels; }

// Σ C·H·W over the decoder's SPADE layers (two per SDM ResBlock: in_norm at the block's input
// width, out_norm at its output).
int64_t spade_elements_per_map(const ModelConfig& c) {
  const int deepest = static_cast<int>(c.channel_mult.size()) - 1;
  int64_t elements = 4 * middle_channels(c) * pixels(c, deepest);  // the middle block's two ResBlocks
  for (const auto& b : decoder_blocks(c)) {
    elements += (b.in_channels + b.out_channels) * pixels(c, b.level);
    if (b.upsamples && c.resblock_updown) elements += b.out_channels * (pixels(c, b.level) + pixels(c, b.level - 1));
  }
  return elements;
}

// The elements per network input of the decoder's input `depth` skips from its end: the middle
// block's output for the deepest, else a decoder block's output (an up-sampling block's at the
// level above).
int64_t deep_feature_elements(const ModelConfig& c, int depth) {
  const auto blocks = decoder_blocks(c);
  const int before = static_cast<int>(blocks.size()) - depth;  // decoder blocks run before the features
  if (before <= 0) return middle_channels(c) * pixels(c, static_cast<int>(c.channel_mult.size()) - 1);
  const auto& b = blocks[before - 1];
  return b.out_channels * pixels(c, b.upsamples ? b.level - 1 : b.level);
}

// Bytes of the Winograd kernels that the 3×3 same-size convolutions outside SPADE keep, those on
// maps and channels Winograd applies to (SPADE's transform theirs per picture and drop them).
// A block that resamples (resblock_updown) convolves at the level it resamples to, as does an
// Upsample's convolution; a Downsample's has stride 2.
int64_t winograd_kernels_kept(const ModelConfig& c) {
  int64_t bytes = 0;
  auto add = [&](int level, int64_t in, int64_t out) {
    if (winograd_applies_to_shape(pixels(c, level), in, out)) bytes += winograd_kernel_bytes(in, out);
  };
  const int levels = static_cast<int>(c.channel_mult.size());
  int64_t ch = int64_t{c.channel_mult.front()} * c.num_channels;
  for (int level = 0; level < levels; ++level) {
    for (int i = 0; i < c.num_res_blocks; ++i) {
      const int64_t out = int64_t{c.channel_mult[level]} * c.num_channels;
      add(level, ch, out);
      add(level, out, out);
      ch = out;
    }
    if (level != levels - 1 && c.resblock_updown) {
      add(level + 1, ch, ch);
      add(level + 1, ch, ch);
    }
  }
  for (const auto& b : decoder_blocks(c)) {
    add(b.level, b.in_channels, b.out_channels);
    add(b.level, b.out_channels, b.out_channels);
    if (b.upsamples) {
      add(b.level - 1, b.out_channels, b.out_channels);
      if (c.resblock_updown) add(b.level - 1, b.out_channels, b.out_channels);
    }
  }
  return bytes;
}

// Fitted to the ADE20K configuration (sdm bench, 256², guided, channels-last with the fused
// norms; the figures are in benchmarks/README.md): besides the weights and the cache, a sample's
// peak holds, for one picture's passes decoded one after the other from one encoding (whose
// skips stay through the first pass) — the runtime (libraries, oneDNN's scratch, allocator
// slack) and, per input, the encoder's skips and a decoder block's input, its normalised copy and
// outputs (the output head computes in float32 whatever the torso's dtype).
constexpr int64_t kRuntimeBytes = int64_t{1} << 30;
constexpr int64_t kTopLevelActivationsPerInput = 10;

}  // namespace

SamplingMemory estimate_sampling_memory(const ModelConfig& c, c10::ScalarType dtype, const SamplingLayout& layout) {
  const int64_t element = static_cast<int64_t>(c10::elementSize(dtype));
  const int64_t pictures = layout.pictures;
  SamplingMemory memory;
  memory.modulation_cache = 2 * spade_elements_per_map(c) * element * pictures;  // scale and shift
  if (layout.deep_feature_depth > 0)
    memory.deep_features = deep_feature_elements(c, layout.deep_feature_depth) * element * pictures * (layout.guided ? 2 : 1);
  if (layout.cpu && dtype == c10::kFloat) memory.winograd_kernels = winograd_kernels_kept(c);
  const int64_t top = int64_t{c.channel_mult.front()} * c.num_channels * c.image_height * c.image_width * int64_t{sizeof(float)};
  const bool two_at_once = layout.guided && layout.batched_guidance;
  memory.activations = kRuntimeBytes + kTopLevelActivationsPerInput * top * pictures * (two_at_once ? 2 : 1);
  return memory;
}

}  // namespace sdm
