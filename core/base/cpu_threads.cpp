#include "core/base/cpu_threads.h"

#include <ATen/Parallel.h>

#include <sched.h>

#include <algorithm>
#include <cstdlib>
#include <thread>

namespace sdm {

int available_cpus() {
#ifdef __linux__
  cpu_set_t set;
  if (sched_getaffinity(0, sizeof(set), &set) == 0) return std::max(1, CPU_COUNT(&set));
#endif
  return std::max(1u, std::thread::hardware_concurrency());
}

void use_available_cpus() {
  // A launcher that sets OMP_NUM_THREADS (torchrun gives each of several ranks one) has decided.
  if (std::getenv("OMP_NUM_THREADS")) return;
  at::set_num_threads(available_cpus());
}

}  // namespace sdm
