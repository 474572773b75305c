#include "core/base/huge_page_allocator.h"

#include <doctest/doctest.h>
#include <torch/torch.h>

#include <cstdint>

using sdm::HugePageCpuAllocator;

TEST_CASE("the CPU allocator puts large tensors on 2 MiB boundaries, counts them while they live, and frees them") {
  auto& allocator = HugePageCpuAllocator::install();
  const size_t before = allocator.in_use();
  allocator.reset_peak();
  {
    // 3 MiB + 4 bytes: two huge pages' worth, counted whole.
    auto large = torch::ones({(int64_t{3} << 20) / 4 + 1});
    CHECK(reinterpret_cast<uintptr_t>(large.data_ptr()) % HugePageCpuAllocator::kHugePage == 0);
    CHECK(allocator.in_use() == before + 2 * HugePageCpuAllocator::kHugePage);
    CHECK(large.sum().item<double>() == doctest::Approx(static_cast<double>(large.numel())));
    // Small tensors go to LibTorch's own allocation and are not counted.
    auto small = torch::ones({1000});
    CHECK(allocator.in_use() == before + 2 * HugePageCpuAllocator::kHugePage);
  }
  CHECK(allocator.in_use() == before);
  CHECK(allocator.peak_in_use() == before + 2 * HugePageCpuAllocator::kHugePage);
  // oneDNN's raw path: the same block is returned by the raw deleter.
  void* raw = allocator.raw_allocate(5 << 20);
  CHECK(allocator.in_use() == before + 3 * HugePageCpuAllocator::kHugePage);
  allocator.raw_deallocate(raw);
  CHECK(allocator.in_use() == before);
}
