#pragma once

#include <c10/core/Allocator.h>

#include <cstddef>

namespace sdm {

// LibTorch's CPU allocator, with blocks of a MiB or more in 2 MiB-aligned memory that the
// kernel may back with transparent huge pages. glibc serves every block over 32 MB with a fresh
// mmap of 4 KiB pages and unmaps it on free, so each activation of a 256² U-Net arrives as new
// pages to fault in one by one: the released ADE20K configuration took 11.5 M page faults in two
// bf16 steps, a third of the run in the kernel. With huge pages: 0.12 M, and a step 15.3 → 12 s.
// (Keeping freed blocks for reuse, as the CUDA allocator does, was tried: with 1 GiB kept, no
// faster and 0.9 GB more resident.) Every block is freed with free(), as LibTorch's own.
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
