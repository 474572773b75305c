#pragma once

namespace sdm {

// Makes the BLAS run single-threaded while it lives, for work that ATen already spreads over its
// threads, one matrix product per thread. OpenBLAS's own threads would otherwise compete with
// them (blocked attention ran much slower with them: benchmarks/README.md). With MKL or the reference BLAS it
// does nothing: MKL runs serially inside an OpenMP region by itself, the reference BLAS has no
// threads.
class SerialBlas {
public:
  SerialBlas();
  ~SerialBlas();
  SerialBlas(const SerialBlas&) = delete;
  SerialBlas& operator=(const SerialBlas&) = delete;

private:
  int previous_threads_ = 0;
};

}  // namespace sdm
