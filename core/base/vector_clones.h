#pragma once

// Compiles a function for AVX-512, AVX2 and plain x86-64; the loader picks the one this CPU runs.
// For the hand-written loops over channels (the fused norm, Winograd's transforms): Debian builds
// for plain x86-64, which would leave them at SSE2's four floats a step.
#define SDM_VECTOR_CLONES __attribute__((target_clones("avx512f", "avx2", "default")))
