#include "core/base/serial_blas.h"

#include <dlfcn.h>

namespace sdm {

namespace {

// OpenBLAS's thread controls, looked up at run time: which BLAS LibTorch loads is the system's
// choice (Debian's alternatives), so linking against OpenBLAS by name would be wrong.
struct OpenBlasThreads {
  int (*get)() = nullptr;
  void (*set)(int) = nullptr;

  OpenBlasThreads() {
    get = reinterpret_cast<int (*)()>(dlsym(RTLD_DEFAULT, "openblas_get_num_threads"));
    set = reinterpret_cast<void (*)(int)>(dlsym(RTLD_DEFAULT, "openblas_set_num_threads"));
    if (!get || !set) get = nullptr, set = nullptr;
  }
};

const OpenBlasThreads& openblas_threads() {
  static const OpenBlasThreads threads;
  return threads;
}

}  // namespace

SerialBlas::SerialBlas() {
  const auto& openblas = openblas_threads();
  if (!openblas.set) return;
  previous_threads_ = openblas.get();
  if (previous_threads_ > 1) openblas.set(1);
}

SerialBlas::~SerialBlas() {
  if (previous_threads_ > 1) openblas_threads().set(previous_threads_);
}

}  // namespace sdm
