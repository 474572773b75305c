#pragma once

#include <c10/core/Device.h>
#include <c10/core/ScalarType.h>

#include <optional>
#include <string>

namespace sdm {

// The device a name names — "cpu", "cuda", "cuda:N", or "auto" (none yet: chosen by
// select_device) — without asking whether this machine has it. Throws sdm::Error for any other.
std::optional<c10::Device> parse_device_name(const std::string& name);

// The type "fp32", "bf16" or "fp16" names. Throws sdm::Error for any other name.
c10::ScalarType parse_dtype_name(const std::string& name);

// "auto" (CUDA when available, else CPU), "cpu", "cuda" or "cuda:N". Throws sdm::Error when CUDA
// is asked for and this build or machine has none.
c10::Device select_device(const std::string& name);

// "fp32", "bf16", or "fp16" (CUDA only: CPU convolutions have no fp16 kernels). Throws sdm::Error.
c10::ScalarType select_dtype(const std::string& name, const c10::Device& device);

}  // namespace sdm
