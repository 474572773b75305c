#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace sdm {

// Bytes this machine can give a process without swapping (Linux: MemAvailable), or nullopt
// where it cannot tell.
std::optional<int64_t> available_memory_bytes();

// "6.5 GB" (decimal, one decimal place).
std::string format_gigabytes(int64_t bytes);

}  // namespace sdm
