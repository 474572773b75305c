#pragma once

#include <c10/core/Allocator.h>

#include <cstddef>

namespace sdm {

// LibTorch's CPU allocator, with blocks of a MiB or more in 2 MiB-aligned memory that the
// kernel may back with transparent huge pages. glibc serves every block over 32 MB with a fresh
// mmap of 4 KiB pages and unmaps it on free, so each activation of a 256² U-Net arrives as new
// pages to fault in one by one, and the released configurations spent much of a run in the
// kernel; huge pages cut the faults a hundredfold (benchmarks/README.md). Keeping freed blocks
// for reuse, as the CUDA allocator does, was tried: no faster, and more resident. Every block is
// freed with free(), as LibTorch's own.
class HugePageCpuAllocator final : public c10::Allocator {
public:
  static constexpr size_t kLarge = size_t{1} << 20;
  static constexpr size_t kHugePage = size_t{2} << 20;

  c10::DataPtr allocate(size_t bytes) const override;
  c10::DeleterFnPtr raw_deleter() const override;

  // Installs one allocator for the process: LibTorch's every later CPU tensor. Returns it.
  static HugePageCpuAllocator& install();

private:
  HugePageCpuAllocator() = default;
};

}  // namespace sdm
