#include "core/base/huge_page_allocator.h"

#include <c10/core/CPUAllocator.h>
#include <doctest/doctest.h>
#include <torch/torch.h>

#include <cstdint>

using sdm::HugePageCpuAllocator;

namespace {
bool on_huge_page_boundary(const void* data) {
  return reinterpret_cast<uintptr_t>(data) % HugePageCpuAllocator::kHugePage == 0;
}
}  // namespace

TEST_CASE("once installed, the CPU allocator puts large tensors on 2 MiB boundaries and frees every block") {
  auto& allocator = HugePageCpuAllocator::install();
  CHECK(c10::GetCPUAllocator() == &allocator);
  for (int round = 0; round < 3; ++round) {  // freed and allocated again: nothing leaks or double-frees
    auto large = torch::ones({(int64_t{3} << 20) / 4 + 1});
    CHECK(on_huge_page_boundary(large.data_ptr()));
    CHECK(large.sum().item<double>() == doctest::Approx(static_cast<double>(large.numel())));
    auto small = torch::arange(1000, torch::kFloat);
    CHECK(small.sum().item<double>() == 999.0 * 1000 / 2);
  }
  // oneDNN's raw path: blocks come back through the raw deleter.
  void* raw = allocator.raw_allocate(5 << 20);
  CHECK(on_huge_page_boundary(raw));
  allocator.raw_deallocate(raw);
  allocator.raw_deallocate(allocator.raw_allocate(100));
}
