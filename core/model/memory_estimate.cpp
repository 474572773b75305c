#include "core/model/memory_estimate.h"

#include <c10/util/typeid.h>

#include <vector>

namespace sdm {

namespace {

// Σ C·H·W over the decoder's SPADE layers (two per SDM ResBlock: in_norm at the block's input
// width, out_norm at its output), following the U-Net's construction.
int64_t spade_elements_per_map(const ModelConfig& c) {
  const int levels = static_cast<int>(c.channel_mult.size());
  std::vector<int64_t> skips{int64_t{c.channel_mult.front()} * c.num_channels};
  int64_t ch = skips.front();
  for (int level = 0; level < levels; ++level) {
    for (int i = 0; i < c.num_res_blocks; ++i) skips.push_back(ch = int64_t{c.channel_mult[level]} * c.num_channels);
    if (level != levels - 1) skips.push_back(ch);
  }
  auto pixels = [&](int level) { return int64_t{c.image_height >> level} * (c.image_width >> level); };
  int64_t elements = 4 * ch * pixels(levels - 1);  // the middle block's two ResBlocks
  for (int level = levels - 1; level >= 0; --level)
    for (int i = 0; i <= c.num_res_blocks; ++i) {
      const int64_t in = ch + skips.back();
      skips.pop_back();
      ch = int64_t{c.channel_mult[level]} * c.num_channels;
      elements += (in + ch) * pixels(level);
      if (level > 0 && i == c.num_res_blocks && c.resblock_updown) elements += ch * pixels(level) + ch * pixels(level - 1);
    }
  return elements;
}

// The elements per network input of the decoder's input `depth` skips from its end: the middle
// block's output for the deepest, else a decoder block's output (an up-sampling block's at the
// level above).
int64_t deep_feature_elements(const ModelConfig& c, int depth) {
  const int levels = static_cast<int>(c.channel_mult.size());
  const int per_level = c.num_res_blocks + 1;
  const int before = levels * per_level - depth;  // decoder blocks run before the features
  auto pixels = [&](int level) { return int64_t{c.image_height >> level} * (c.image_width >> level); };
  if (before <= 0) return int64_t{c.channel_mult.back()} * c.num_channels * pixels(levels - 1);
  const int block = before - 1, level = levels - 1 - block / per_level;
  const bool upsamples = block % per_level == c.num_res_blocks && level > 0;
  return int64_t{c.channel_mult[level]} * c.num_channels * pixels(upsamples ? level - 1 : level);
}

// Fitted to the ADE20K configuration (sdm bench, 256², guided, channels-last with the fused
// norms): besides the weights and the cache, a sample's peak holds 1.41–1.47 GB for one network
// input at a time and 1.66–1.98 GB for two, in bf16 as in fp32 — the runtime (libraries, oneDNN's
// scratch, allocator slack) and, per input, the encoder's skips and a decoder block's input, its
// normalised copy and outputs (the output head computes in float32 whatever the torso's dtype).
constexpr int64_t kRuntimeBytes = int64_t{1} << 30;
constexpr int64_t kTopLevelActivationsPerInput = 8;

}  // namespace

SamplingMemory estimate_sampling_memory(const ModelConfig& c, c10::ScalarType dtype, const SamplingLayout& layout) {
  const int64_t element = static_cast<int64_t>(c10::elementSize(dtype));
  const int64_t pictures = layout.pictures;
  SamplingMemory memory;
  memory.modulation_cache = 2 * spade_elements_per_map(c) * element * pictures;  // scale and shift
  if (layout.deep_feature_depth > 0)
    memory.deep_features = deep_feature_elements(c, layout.deep_feature_depth) * element * pictures * (layout.guided ? 2 : 1);
  const int64_t top = int64_t{c.channel_mult.front()} * c.num_channels * c.image_height * c.image_width * int64_t{sizeof(float)};
  const bool two_at_once = layout.guided && layout.batched_guidance;
  memory.activations = kRuntimeBytes + kTopLevelActivationsPerInput * top * pictures * (two_at_once ? 2 : 1);
  return memory;
}

}  // namespace sdm
