#pragma once

#include <filesystem>
#include <string_view>

namespace sdm {

// Writes `bytes` to a temporary file beside `path`, flushes it and renames it over `path`, so a
// crash or a full disk never leaves a half-written file where a good one was.
// Throws sdm::Error naming the file.
void write_file_atomically(const std::filesystem::path& path, std::string_view bytes);

}  // namespace sdm
