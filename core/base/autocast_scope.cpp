#include "core/base/autocast_scope.h"

#include <ATen/autocast_mode.h>
#include <torch/version.h>

namespace sdm {

namespace {

// LibTorch 2.4 made autocast's switches per device type; 1.13 (Debian's) has one per device.
#if TORCH_VERSION_MAJOR > 2 || (TORCH_VERSION_MAJOR == 2 && TORCH_VERSION_MINOR >= 4)
bool is_enabled(c10::DeviceType type) { return at::autocast::is_autocast_enabled(type); }
void set_enabled(c10::DeviceType type, bool enabled) { at::autocast::set_autocast_enabled(type, enabled); }
c10::ScalarType get_dtype(c10::DeviceType type) { return at::autocast::get_autocast_dtype(type); }
void set_dtype(c10::DeviceType type, c10::ScalarType dtype) { at::autocast::set_autocast_dtype(type, dtype); }
#else
bool is_enabled(c10::DeviceType type) { return type == c10::kCUDA ? at::autocast::is_enabled() : at::autocast::is_cpu_enabled(); }
void set_enabled(c10::DeviceType type, bool enabled) {
  type == c10::kCUDA ? at::autocast::set_enabled(enabled) : at::autocast::set_cpu_enabled(enabled);
}
c10::ScalarType get_dtype(c10::DeviceType type) {
  return type == c10::kCUDA ? at::autocast::get_autocast_gpu_dtype() : at::autocast::get_autocast_cpu_dtype();
}
void set_dtype(c10::DeviceType type, c10::ScalarType dtype) {
  type == c10::kCUDA ? at::autocast::set_autocast_gpu_dtype(dtype) : at::autocast::set_autocast_cpu_dtype(dtype);
}
#endif

}  // namespace

AutocastScope::AutocastScope(c10::Device device, c10::ScalarType dtype)
    : active_(dtype != c10::ScalarType::Float), device_type_(device.type()) {
  if (!active_) return;
  was_enabled_ = is_enabled(device_type_);
  previous_dtype_ = get_dtype(device_type_);
  set_dtype(device_type_, dtype);
  set_enabled(device_type_, true);
  at::autocast::increment_nesting();
}

AutocastScope::~AutocastScope() {
  if (!active_) return;
  // Leaving the outermost scope frees the half-precision copies of the weights autocast cached.
  if (at::autocast::decrement_nesting() == 0) at::autocast::clear_cache();
  set_enabled(device_type_, was_enabled_);
  set_dtype(device_type_, previous_dtype_);
}

}  // namespace sdm
