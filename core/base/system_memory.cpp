#include "core/base/system_memory.h"

#include <cstdio>
#include <fstream>
#include <sstream>

namespace sdm {

std::optional<int64_t> available_memory_bytes() {
  std::ifstream meminfo("/proc/meminfo");
  for (std::string line; std::getline(meminfo, line);)
    if (line.rfind("MemAvailable:", 0) == 0) {
      std::istringstream fields(line.substr(13));
      int64_t kilobytes = 0;
      if (fields >> kilobytes) return kilobytes * 1024;
    }
  return std::nullopt;
}

std::string format_gigabytes(int64_t bytes) {
  char text[32];
  std::snprintf(text, sizeof(text), "%.1f GB", static_cast<double>(bytes) / 1e9);
  return text;
}

}  // namespace sdm
