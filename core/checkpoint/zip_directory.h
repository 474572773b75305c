#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <string>

namespace sdm {

// One record as the archive's central directory describes it.
struct ZipRecord {
  uint32_t crc32 = 0;
  uint64_t size = 0;        // uncompressed bytes
  uint16_t method = 0;      // 0: stored, as torch.save writes every record
};

// Every record in a zip archive's central directory, by name without the archive's top folder
// ("tiny/data/0" → "data/0", as PyTorchStreamReader names records). LibTorch's zip reader does
// not verify CRCs; checking them is what turns a flipped byte in a downloaded checkpoint into an
// error instead of silently wrong weights. Reads zip64 too. Throws sdm::Error (without the file
// name) when the directory is missing or malformed.
std::map<std::string, ZipRecord> read_zip_directory(const std::filesystem::path& path);

}  // namespace sdm
