#include "core/base/device.h"

#include "core/base/error.h"

#include <torch/cuda.h>

#include <fstream>
#include <sstream>

namespace sdm {

std::optional<c10::Device> parse_device_name(const std::string& name) {
  if (name == "auto") return std::nullopt;
  try {
    const c10::Device device(name);
    if (device.is_cpu() || device.is_cuda()) return device;
  } catch (const c10::Error&) {
  }
  throw Error("unknown device '" + name + "' (auto, cpu, cuda or cuda:N)");
}

c10::ScalarType parse_dtype_name(const std::string& name) {
  if (name == "fp32") return c10::kFloat;
  if (name == "bf16") return c10::kBFloat16;
  if (name == "fp16") return c10::kHalf;
  throw Error("unknown --dtype '" + name + "' (fp32, fp16 or bf16)");
}

c10::Device select_device(const std::string& name) {
  const auto named = parse_device_name(name);
  if (!named) return torch::cuda::is_available() ? c10::Device(c10::kCUDA) : c10::Device(c10::kCPU);
  const c10::Device device = *named;
  if (device.is_cuda() && !torch::cuda::is_available())
    throw Error("device '" + name + "' asked for, but this build or machine has no CUDA GPU");
  return device;
}

c10::ScalarType select_dtype(const std::string& name, const c10::Device& device) {
  const auto type = parse_dtype_name(name);
  if (type == c10::kHalf && !device.is_cuda())
    throw Error("--dtype fp16 needs a CUDA device (CPU convolutions have no fp16 kernels); try bf16");
  return type;
}

bool cpu_has_native_bf16() {
  std::ifstream cpuinfo("/proc/cpuinfo");
  for (std::string line; std::getline(cpuinfo, line);) {
    if (line.rfind("flags", 0) != 0) continue;
    std::istringstream flags(line.substr(line.find(':') + 1));
    for (std::string flag; flags >> flag;)
      if (flag == "avx512_bf16" || flag == "amx_bf16") return true;
    return false;
  }
  return false;
}

c10::ScalarType automatic_dtype(const c10::Device& device, int64_t parameters, bool cpu_bf16) {
  return device.is_cpu() && cpu_bf16 && parameters >= kReleasedSizeParameters ? c10::kBFloat16 : c10::kFloat;
}

std::string dtype_name(c10::ScalarType type) {
  return type == c10::kBFloat16 ? "bf16" : type == c10::kHalf ? "fp16" : "fp32";
}

}  // namespace sdm
