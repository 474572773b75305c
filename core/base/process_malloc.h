#pragma once

#include <string>

namespace sdm {

// Which malloc serves this process, as found by allocating: "tcmalloc (gperftools 2.10)" where
// the program chose gperftools' tcmalloc_minimal (sdm_malloc, core/base/CMakeLists.txt), else
// "glibc". tcmalloc keeps freed memory for the next request where glibc hands every large block
// back to the kernel, which then zeroes fresh pages for the next: sampling a released-size model
// on a CPU is faster with it (benchmarks/README.md).
std::string process_malloc();

}  // namespace sdm
