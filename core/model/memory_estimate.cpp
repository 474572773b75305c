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

// Measured on the four released configurations (sdm bench, 256², guided): besides the weights and
// the cache, a sample's peak holds 1.8–2.1 GB in bf16 as in fp32 — 14–15 top-level activations
// in float32 per network input, the runtime included: the norms, the softmax and the output head
// compute in float32 whatever the torso's dtype.
constexpr int64_t kTopLevelActivations = 16;

}  // namespace

SamplingMemory estimate_sampling_memory(const ModelConfig& c, c10::ScalarType dtype, int64_t pictures, bool guided) {
  const int64_t element = static_cast<int64_t>(c10::elementSize(dtype));
  SamplingMemory memory;
  memory.modulation_cache = 2 * spade_elements_per_map(c) * element * pictures;  // scale and shift
  const int64_t top = int64_t{c.channel_mult.front()} * c.num_channels * c.image_height * c.image_width * int64_t{sizeof(float)};
  memory.activations = kTopLevelActivations * top * pictures * (guided ? 2 : 1);
  return memory;
}

}  // namespace sdm
