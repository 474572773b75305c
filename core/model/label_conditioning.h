#pragma once

#include <torch/types.h>

#include <map>
#include <tuple>
#include <vector>

namespace sdm {

// A SPADE layer's modulation x·scale + shift at one size. `scale` and `shift` are [N, C, H, W]
// for the batch's label maps — or, with `pixel_offsets`, palettes [K, C] of the distinct vectors,
// picture i's pixel (y, x) taking the one pixel_offsets[i][y·W + x] elements on (see
// SpadeGroupNorm). The null maps' (see LabelConditioning) are `null_scale` and `null_shift`,
// [1, C, h, w] with h, w at most 2k+1 for a SPADE kernel of 2k+1.
struct SpadeModulation {
  torch::Tensor scale, shift, null_scale, null_shift;
  std::vector<std::vector<int64_t>> pixel_offsets;
};

// The label maps as the decoder's SPADE layers receive them: `labels` [N, C, H, W], one-hot (+
// edges), then `null_maps` more batch items with the all-zero map — classifier-free guidance's
// unconditional pass — which are never materialised: the modulation of a zero map is the same
// at every pixel away from the border (see SpadeGroupNorm).
//
// SPADE's γ and β depend on the label map alone — never on x or t — so with caching on, each
// layer computes them on the first forward and reuses them on every later step of the same
// sample: about half a forward saved, same result.
class LabelConditioning {
public:
  LabelConditioning(torch::Tensor labels, bool cache_modulation, int64_t null_maps = 0);

  const torch::Tensor& labels() const { return labels_; }
  int64_t null_maps() const { return null_maps_; }
  int64_t batch() const { return labels_.size(0) + null_maps_; }

  // What `layer` computed at `height`×`width`, or nullptr.
  const SpadeModulation* cached(const void* layer, int64_t height, int64_t width) const;
  bool caches_modulation() const { return cache_modulation_; }
  // Keeps a layer's modulation when caching is on; otherwise does nothing.
  void remember(const void* layer, int64_t height, int64_t width, SpadeModulation modulation);
  size_t cached_layers() const { return modulation_.size(); }
  // Bytes the cached modulation holds.
  int64_t cached_bytes() const;

private:
  torch::Tensor labels_;
  bool cache_modulation_;
  int64_t null_maps_;
  std::map<std::tuple<const void*, int64_t, int64_t>, SpadeModulation> modulation_;
};

}  // namespace sdm
