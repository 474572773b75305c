#pragma once

namespace sdm {

// The CPUs this process may run on (its affinity mask), at least 1.
int available_cpus();

// Gives LibTorch one intra-op thread per available CPU. Its own default counts physical cores
// through cpuinfo, which finds one on virtual machines like this project's (2 vCPUs, 1 thread:
// every sample ran at half speed while `--threads` claimed "all cores" by default). An explicit
// --threads set afterwards wins, and so does OMP_NUM_THREADS.
void use_available_cpus();

}  // namespace sdm
