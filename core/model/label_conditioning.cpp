#include "core/model/label_conditioning.h"

namespace sdm {

LabelConditioning::LabelConditioning(torch::Tensor labels, bool cache_modulation, int64_t null_maps)
    : labels_(std::move(labels)), cache_modulation_(cache_modulation), null_maps_(null_maps) {}

const SpadeModulation* LabelConditioning::cached(const void* layer, int64_t height, int64_t width) const {
  auto it = modulation_.find({layer, height, width});
  return it == modulation_.end() ? nullptr : &it->second;
}

void LabelConditioning::remember(const void* layer, int64_t height, int64_t width, SpadeModulation modulation) {
  if (cache_modulation_) modulation_[{layer, height, width}] = std::move(modulation);
}

int64_t LabelConditioning::cached_bytes() const {
  int64_t bytes = 0;
  for (const auto& [key, m] : modulation_) {
    for (const auto* t : {&m.scale, &m.shift, &m.null_scale, &m.null_shift})
      if (t->defined()) bytes += t->numel() * static_cast<int64_t>(t->element_size());
    for (const auto& offsets : m.pixel_offsets) bytes += static_cast<int64_t>(offsets.size() * sizeof(int64_t));
  }
  return bytes;
}

}  // namespace sdm
