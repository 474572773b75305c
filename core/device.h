#pragma once

#include <c10/core/Device.h>

#include <string>

namespace sdm {

// "auto" (CUDA when available, else CPU), "cpu", "cuda" or "cuda:N". Throws sdm::Error when CUDA
// is asked for and this build or machine has none.
c10::Device select_device(const std::string& name);

}  // namespace sdm
