#include "core/io/atomic_file.h"

#include "core/base/error.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <unistd.h>

namespace sdm {

void write_file_atomically(const std::filesystem::path& path, std::string_view bytes) {
  const auto temporary = path.string() + ".part-" + std::to_string(::getpid());
  auto fail = [&](const std::string& what) {
    const std::string reason = std::strerror(errno);
    std::error_code ignored;
    std::filesystem::remove(temporary, ignored);
    throw Error(path.string() + ": cannot " + what + ": " + reason);
  };
  std::FILE* file = std::fopen(temporary.c_str(), "wb");
  if (!file) fail("create a file beside it");
  const bool written = std::fwrite(bytes.data(), 1, bytes.size(), file) == bytes.size() && std::fflush(file) == 0 &&
                       ::fsync(::fileno(file)) == 0;
  if (std::fclose(file) != 0 || !written) fail("write");
  if (std::rename(temporary.c_str(), path.c_str()) != 0) fail("replace");
}

}  // namespace sdm
