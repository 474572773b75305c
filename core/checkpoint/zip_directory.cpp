#include "core/checkpoint/zip_directory.h"

#include "core/base/error.h"

#include <algorithm>
#include <fstream>
#include <string_view>

namespace sdm {

namespace {

uint64_t little_endian(std::string_view bytes, size_t offset, size_t width) {
  if (offset + width > bytes.size()) throw Error("zip directory ends early");
  uint64_t value = 0;
  for (size_t i = 0; i < width; ++i) value |= uint64_t{static_cast<uint8_t>(bytes[offset + i])} << (8 * i);
  return value;
}

std::string read_range(std::ifstream& in, uint64_t offset, uint64_t size) {
  std::string bytes(size, '\0');
  in.seekg(static_cast<std::streamoff>(offset));
  in.read(bytes.data(), static_cast<std::streamsize>(size));
  if (static_cast<uint64_t>(in.gcount()) != size) throw Error("zip directory ends early");
  return bytes;
}

// A record of 4 GiB or more keeps its size in the zip64 extra field (id 1), uncompressed size first.
uint64_t zip64_size(std::string_view extra) {
  for (size_t pos = 0; pos + 4 <= extra.size();) {
    const uint64_t id = little_endian(extra, pos, 2), length = little_endian(extra, pos + 2, 2);
    if (id == 1 && length >= 8) return little_endian(extra, pos + 4, 8);
    pos += 4 + length;
  }
  throw Error("zip64 record size missing");
}

constexpr uint32_t kEndOfDirectory = 0x06054b50, kZip64Locator = 0x07064b50, kZip64End = 0x06064b50,
                   kDirectoryEntry = 0x02014b50;
constexpr size_t kEndOfDirectorySize = 22, kMaxCommentSize = 0xffff;

}  // namespace

std::map<std::string, ZipRecord> read_zip_directory(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error("cannot open for reading");
  in.seekg(0, std::ios::end);
  const uint64_t file_size = static_cast<uint64_t>(in.tellg());

  // The end-of-directory record sits in the last 22 bytes plus an optional comment.
  const uint64_t tail_size = std::min<uint64_t>(file_size, kEndOfDirectorySize + kMaxCommentSize);
  const uint64_t tail_offset = file_size - tail_size;
  const std::string tail = read_range(in, tail_offset, tail_size);
  size_t end = std::string::npos;
  for (size_t i = tail.size() >= kEndOfDirectorySize ? tail.size() - kEndOfDirectorySize + 1 : 0; i-- > 0;)
    if (little_endian(tail, i, 4) == kEndOfDirectory) {
      end = i;
      break;
    }
  if (end == std::string::npos) throw Error("no zip directory (truncated?)");

  uint64_t entries = little_endian(tail, end + 10, 2);
  uint64_t directory_size = little_endian(tail, end + 12, 4);
  uint64_t directory_offset = little_endian(tail, end + 16, 4);
  if (entries == 0xffff || directory_size == 0xffffffff || directory_offset == 0xffffffff) {
    if (end < 20 || little_endian(tail, end - 20, 4) != kZip64Locator) throw Error("zip64 directory locator missing");
    const uint64_t zip64_end_offset = little_endian(tail, end - 20 + 8, 8);
    if (zip64_end_offset + 56 > file_size) throw Error("zip64 directory out of range");
    const std::string zip64_end = read_range(in, zip64_end_offset, 56);
    if (little_endian(zip64_end, 0, 4) != kZip64End) throw Error("zip64 directory record missing");
    entries = little_endian(zip64_end, 32, 8);
    directory_size = little_endian(zip64_end, 40, 8);
    directory_offset = little_endian(zip64_end, 48, 8);
  }
  if (directory_offset > file_size || directory_size > file_size - directory_offset)
    throw Error("zip directory out of range (truncated?)");

  const std::string directory = read_range(in, directory_offset, directory_size);
  std::map<std::string, ZipRecord> records;
  size_t pos = 0;
  for (uint64_t i = 0; i < entries; ++i) {
    if (little_endian(directory, pos, 4) != kDirectoryEntry) throw Error("malformed zip directory entry");
    ZipRecord record;
    record.method = static_cast<uint16_t>(little_endian(directory, pos + 10, 2));
    record.crc32 = static_cast<uint32_t>(little_endian(directory, pos + 16, 4));
    record.size = little_endian(directory, pos + 24, 4);
    const size_t name_length = little_endian(directory, pos + 28, 2);
    const size_t extra_length = little_endian(directory, pos + 30, 2);
    const size_t comment_length = little_endian(directory, pos + 32, 2);
    if (pos + 46 + name_length + extra_length > directory.size()) throw Error("malformed zip directory entry");
    if (record.size == 0xffffffff) record.size = zip64_size(directory.substr(pos + 46 + name_length, extra_length));
    const std::string name = directory.substr(pos + 46, name_length);
    const auto slash = name.find('/');
    records[slash == std::string::npos ? name : name.substr(slash + 1)] = record;
    pos += 46 + name_length + extra_length + comment_length;
  }
  return records;
}

}  // namespace sdm
