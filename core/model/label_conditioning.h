#pragma once

#include <torch/types.h>

#include <map>
#include <tuple>
#include <utility>

namespace sdm {

// The label map as the decoder's SPADE layers receive it. SPADE's γ and β depend on the label map
// alone — never on x or t — so with caching on, each layer computes them on the first forward and
// reuses them on every later step of the same sample: about half a forward saved, same result.
class LabelConditioning {
public:
  // labels: [N, C, H, W] one-hot map (+ edges), in the batch order the forwards will use.
  LabelConditioning(torch::Tensor labels, bool cache_modulation);

  const torch::Tensor& labels() const { return labels_; }

  // The (1 + γ, β) that `layer` computed at `height`×`width`, or nullptr.
  const std::pair<torch::Tensor, torch::Tensor>* cached(const void* layer, int64_t height, int64_t width) const;
  // Keeps a layer's modulation when caching is on; otherwise does nothing.
  void remember(const void* layer, int64_t height, int64_t width, torch::Tensor scale, torch::Tensor shift);
  size_t cached_layers() const { return modulation_.size(); }

private:
  torch::Tensor labels_;
  bool cache_modulation_;
  std::map<std::tuple<const void*, int64_t, int64_t>, std::pair<torch::Tensor, torch::Tensor>> modulation_;
};

}  // namespace sdm
