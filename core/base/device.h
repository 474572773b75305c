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

// Whether this CPU has bf16 arithmetic (AVX512-BF16 or AMX-BF16, as /proc/cpuinfo lists them),
// with which oneDNN runs bf16 convolutions at several times the fp32 rate instead of emulating them.
bool cpu_has_native_bf16();

// A released-size network (the published configurations are ~660 M parameters, this project's own
// ~10 M): what a CPU computes in bf16 when it can (automatic_dtype) and runs picture by picture
// through guidance (batches_guidance_passes). One threshold, so the two cannot disagree.
inline constexpr int64_t kReleasedSizeParameters = 100'000'000;

// The dtype for a model of `parameters` on `device` when the user has not forced fp32: bf16 on a
// CPU that computes it natively, for a released-size model (half the weights' memory and about
// twice as fast: benchmarks/README.md); fp32 otherwise — small models are quick anyway and keep
// fp32's exact results.
c10::ScalarType automatic_dtype(const c10::Device& device, int64_t parameters, bool cpu_bf16);

// "fp32", "bf16" or "fp16".
std::string dtype_name(c10::ScalarType type);

}  // namespace sdm
