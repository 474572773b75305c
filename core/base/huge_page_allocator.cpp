#include "core/base/huge_page_allocator.h"

#include <c10/core/CPUAllocator.h>
#include <c10/core/impl/alloc_cpu.h>
#include <c10/util/Exception.h>

#include <sys/mman.h>

#include <algorithm>
#include <cstdlib>

namespace sdm {

namespace {
HugePageCpuAllocator* the_installed = nullptr;

c10::DataPtr data_ptr(void* data, c10::DeleterFnPtr deleter) {
  // The context is the data itself, as raw_allocate/raw_deallocate (oneDNN's) require.
  return {data, data, deleter, c10::Device(c10::DeviceType::CPU)};
}
}  // namespace

c10::DataPtr HugePageCpuAllocator::allocate(size_t bytes) const {
  if (bytes < kLarge) return data_ptr(c10::alloc_cpu(bytes), &release);
  const size_t size = (bytes + kHugePage - 1) / kHugePage * kHugePage;
  void* block = nullptr;
  if (posix_memalign(&block, kHugePage, size) != 0) block = nullptr;
  TORCH_CHECK_WITH(OutOfMemoryError, block, "CPU out of memory: cannot allocate ", size >> 20, " MiB");
#ifdef MADV_HUGEPAGE
  madvise(block, size, MADV_HUGEPAGE);
#endif
  std::lock_guard lock(mutex_);
  large_[block] = size;
  in_use_ += size;
  peak_ = std::max(peak_, in_use_);
  return data_ptr(block, &release);
}

c10::DeleterFnPtr HugePageCpuAllocator::raw_deleter() const { return &release; }

void HugePageCpuAllocator::release(void* data) {
  if (the_installed->forget(data))
    std::free(data);
  else
    c10::free_cpu(data);
}

bool HugePageCpuAllocator::forget(void* block) const {
  std::lock_guard lock(mutex_);
  const auto it = large_.find(block);
  if (it == large_.end()) return false;
  in_use_ -= it->second;
  large_.erase(it);
  return true;
}

size_t HugePageCpuAllocator::in_use() const {
  std::lock_guard lock(mutex_);
  return in_use_;
}

size_t HugePageCpuAllocator::peak_in_use() const {
  std::lock_guard lock(mutex_);
  return peak_;
}

void HugePageCpuAllocator::reset_peak() const {
  std::lock_guard lock(mutex_);
  peak_ = in_use_;
}

HugePageCpuAllocator& HugePageCpuAllocator::install() {
  if (!the_installed) {
    the_installed = new HugePageCpuAllocator;  // never destroyed: tensors may outlive main
    c10::SetCPUAllocator(the_installed, /*priority=*/1);
  }
  return *the_installed;
}

HugePageCpuAllocator* HugePageCpuAllocator::installed() { return the_installed; }

}  // namespace sdm
