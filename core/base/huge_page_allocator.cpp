#include "core/base/huge_page_allocator.h"

#include <c10/core/CPUAllocator.h>
#include <c10/core/impl/alloc_cpu.h>
#include <c10/util/Exception.h>

#include <sys/mman.h>

#include <cstdlib>

namespace sdm {

c10::DataPtr HugePageCpuAllocator::allocate(size_t bytes) const {
  void* data = nullptr;
  if (bytes < kLarge) {
    data = c10::alloc_cpu(bytes);
  } else {
    const size_t size = (bytes + kHugePage - 1) / kHugePage * kHugePage;
    if (posix_memalign(&data, kHugePage, size) != 0) data = nullptr;
    TORCH_CHECK_WITH(OutOfMemoryError, data, "CPU out of memory: cannot allocate ", size >> 20, " MiB");
#ifdef MADV_HUGEPAGE
    madvise(data, size, MADV_HUGEPAGE);
#endif
  }
  // The context is the data itself, as raw_allocate/raw_deallocate (oneDNN's) require.
  return {data, data, raw_deleter(), c10::Device(c10::DeviceType::CPU)};
}

// LibTorch's free_cpu is free(), which releases posix_memalign's blocks too.
c10::DeleterFnPtr HugePageCpuAllocator::raw_deleter() const { return &c10::free_cpu; }

HugePageCpuAllocator& HugePageCpuAllocator::install() {
  static auto* const allocator = [] {
    auto* installed = new HugePageCpuAllocator;  // never destroyed: tensors may outlive main
    c10::SetCPUAllocator(installed, /*priority=*/1);
    return installed;
  }();
  return *allocator;
}

}  // namespace sdm
