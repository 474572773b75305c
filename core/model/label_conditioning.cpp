#include "core/model/label_conditioning.h"

namespace sdm {

LabelConditioning::LabelConditioning(torch::Tensor labels, bool cache_modulation)
    : labels_(std::move(labels)), cache_modulation_(cache_modulation) {}

const std::pair<torch::Tensor, torch::Tensor>* LabelConditioning::cached(const void* layer, int64_t height,
                                                                         int64_t width) const {
  auto it = modulation_.find({layer, height, width});
  return it == modulation_.end() ? nullptr : &it->second;
}

void LabelConditioning::remember(const void* layer, int64_t height, int64_t width, torch::Tensor scale,
                                 torch::Tensor shift) {
  if (cache_modulation_) modulation_[{layer, height, width}] = {std::move(scale), std::move(shift)};
}

}  // namespace sdm
