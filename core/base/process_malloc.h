#pragma once

#include <string>

namespace sdm {

// Which malloc serves this process, as found by allocating: "tcmalloc (gperftools 2.10)" where
// the programs are linked with gperftools' tcmalloc_minimal (core/base/CMakeLists.txt), else
// "glibc". tcmalloc keeps freed memory for the next request where glibc hands every large block
// back to the kernel, which then zeroes fresh pages for the next: on a CPU, sampling a
// released-size model ran ~15 % faster with it (benchmarks/README.md).
std::string process_malloc();

}  // namespace sdm
