#pragma once

#include <c10/core/Device.h>
#include <c10/core/ScalarType.h>

namespace sdm {

// Mixed precision for what runs while it lives, as Python's torch.autocast: on `device`'s type,
// convolutions and matrix products in `dtype` (bf16, or fp16 on CUDA), norms, softmax and
// reductions in fp32; the weights stay fp32. Does nothing for fp32.
class AutocastScope {
public:
  AutocastScope(c10::Device device, c10::ScalarType dtype);
  ~AutocastScope();
  AutocastScope(const AutocastScope&) = delete;
  AutocastScope& operator=(const AutocastScope&) = delete;

private:
  bool active_;
  c10::DeviceType device_type_;
  bool was_enabled_ = false;
  c10::ScalarType previous_dtype_ = c10::ScalarType::Float;
};

}  // namespace sdm
