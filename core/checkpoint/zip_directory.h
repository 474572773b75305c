#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <string>

namespace sdm {

// The CRC-32 of every record in a zip archive's central directory, by name without the
// archive's top folder ("tiny/data/0" → "data/0", as PyTorchStreamReader names records).
// LibTorch's zip reader does not verify CRCs; checking them is what turns a flipped byte in a
// downloaded checkpoint into an error instead of silently wrong weights. Reads zip64 too.
// Throws sdm::Error (without the file name) when the directory is missing or malformed.
std::map<std::string, uint32_t> read_zip_crc32s(const std::filesystem::path& path);

}  // namespace sdm
