#pragma once

#include <c10/core/Device.h>
#include <c10/core/ScalarType.h>

#include <string>

namespace sdm {

// "auto" (CUDA when available, else CPU), "cpu", "cuda" or "cuda:N". Throws sdm::Error when CUDA
// is asked for and this build or machine has none.
c10::Device select_device(const std::string& name);

// "fp32", "bf16", or "fp16" (CUDA only: CPU convolutions have no fp16 kernels). Throws sdm::Error.
c10::ScalarType select_dtype(const std::string& name, const c10::Device& device);

}  // namespace sdm
