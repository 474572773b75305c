#include "core/checkpoint/checkpoint_file.h"

#include "core/base/error.h"
#include "core/checkpoint/pickle_reader.h"
#include "core/checkpoint/zip_directory.h"
#include "core/io/atomic_file.h"

#include <caffe2/serialize/inline_container.h>
#include <torch/serialize.h>
#include <torch/torch.h>

#include <zlib.h>

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <memory>
#include <vector>

namespace sdm {

namespace {

// Names what a file that is not a zip archive most likely is, from its first bytes.
std::string describe_non_zip(const std::string& head) {
  auto starts = [&](std::string_view magic) { return head.compare(0, magic.size(), magic) == 0; };
  if (starts("\x80")) return "legacy (pre-1.6) torch.save format: re-save with torch >= 1.6 (torch.save(torch.load(f), f))";
  if (starts("\x89PNG")) return "a PNG image, not a checkpoint";
  if (starts("\xff\xd8\xff")) return "a JPEG image, not a checkpoint";
  if (starts("GIF8")) return "a GIF image, not a checkpoint";
  if (head.size() >= 9 && head[8] == '{') return "a safetensors file: convert it with torch.save(state_dict) first";
  return "not a PyTorch checkpoint (no zip archive)";
}

// The first line of a c10::Error, without LibTorch's backtrace and "[enforce fail at …] ." prefix.
std::string first_line(const c10::Error& e) {
  std::string message = e.what_without_backtrace();
  message = message.substr(0, message.find('\n'));
  if (message.rfind("[enforce fail", 0) == 0) message = message.substr(message.find(']') + 1);
  const auto start = message.find_first_not_of(" .");
  return start == std::string::npos ? message : message.substr(start);
}

// The checkpoint opened for positioned reads (pread: no shared file position, no stream buffer).
class OpenFile {
public:
  explicit OpenFile(const std::filesystem::path& path) : fd_(::open(path.c_str(), O_RDONLY | O_CLOEXEC)) {
    if (fd_ < 0) throw Error(std::string("cannot open for reading: ") + std::strerror(errno));
    ::posix_fadvise(fd_, 0, 0, POSIX_FADV_SEQUENTIAL);
  }
  ~OpenFile() { ::close(fd_); }
  OpenFile(const OpenFile&) = delete;
  OpenFile& operator=(const OpenFile&) = delete;

  // Exactly `size` bytes at `offset`, or sdm::Error.
  void read(uint64_t offset, uint8_t* destination, size_t size) const {
    while (size > 0) {
      const ssize_t got = ::pread(fd_, destination, size, static_cast<off_t>(offset));
      if (got < 0 && errno == EINTR) continue;
      if (got < 0) throw Error(std::string("read failed: ") + std::strerror(errno));
      if (got == 0) throw Error("ends early: the file is truncated");
      destination += got, offset += static_cast<uint64_t>(got), size -= static_cast<size_t>(got);
    }
  }

private:
  int fd_;
};

// Reads a stored record straight into `destination` (its first `capacity` bytes; a longer
// record's tail goes through scratch space so the CRC covers all of it). Chunk by chunk, each
// CRC-checked while it is still in cache: one pass over the file, no buffer between file and
// tensor. LibTorch's reader copies every record through a buffer of its own and checks no CRC.
void read_checked(const OpenFile& file, uint64_t offset, const std::string& name, const ZipRecord& record,
                  uint8_t* destination, size_t capacity) {
  constexpr size_t kChunk = size_t{4} << 20;
  std::vector<uint8_t> scratch;
  uLong crc = ::crc32_z(0, nullptr, 0);
  for (uint64_t done = 0; done < record.size;) {
    const size_t chunk = static_cast<size_t>(std::min<uint64_t>(kChunk, record.size - done));
    uint8_t* target = destination + done;
    size_t length = chunk;
    if (done >= capacity) {
      scratch.resize(chunk);
      target = scratch.data();
    } else {
      length = std::min<size_t>(chunk, capacity - done);
    }
    file.read(offset + done, target, length);
    crc = ::crc32_z(crc, target, length);
    done += length;
  }
  if (crc != record.crc32) throw Error("record " + name + " fails its CRC check: the file is corrupt");
}

StateDict to_state_dict(const PickleValue& root) {
  if (!root.is(PickleValue::Kind::Dict)) throw Error("holds no dict of tensors (not a state dict)");
  StateDict state;
  const auto& items = *root.items;
  for (size_t i = 0; i + 1 < items.size(); i += 2) {
    if (!items[i].is(PickleValue::Kind::String)) throw Error("has a state-dict key that is not a string");
    if (!items[i + 1].is(PickleValue::Kind::Tensor))
      throw Error("entry '" + items[i].text + "' is not a tensor (not a state dict; a training checkpoint?)");
    state.emplace_back(items[i].text, items[i + 1].tensor);
  }
  if (state.empty()) throw Error("holds an empty dict (no weights)");
  return state;
}

}  // namespace

StateDict read_state_dict(const std::filesystem::path& path) {
  const std::string name = path.string();
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) throw Error(name + ": no such file");
  const auto file_size = std::filesystem::file_size(path, ec);
  if (ec) throw Error(name + ": cannot read: " + ec.message());
  if (file_size == 0) throw Error(name + ": empty file");

  std::string head(16, '\0');
  {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw Error(name + ": cannot open for reading");
    in.read(head.data(), static_cast<std::streamsize>(head.size()));
    head.resize(static_cast<size_t>(in.gcount()));
  }
  if (head.compare(0, 4, "PK\x03\x04") != 0) throw Error(name + ": " + describe_non_zip(head));

  std::unique_ptr<caffe2::serialize::PyTorchStreamReader> archive;
  try {
    archive = std::make_unique<caffe2::serialize::PyTorchStreamReader>(name);
  } catch (const c10::Error& e) {
    throw Error(name + ": not a readable torch.save archive, corrupt or truncated (" + first_line(e) + ")");
  }
  auto& reader = *archive;
  try {
    const auto records = read_zip_directory(path);
    auto record_for = [&](const std::string& record) -> const ZipRecord& {
      auto it = records.find(record);
      if (!reader.hasRecord(record) || it == records.end()) throw Error("tensor storage " + record + " is missing");
      if (it->second.method != 0) throw Error("record " + record + " is compressed, as torch.save never writes");
      return it->second;
    };
    if (!reader.hasRecord("data.pkl")) throw Error("zip archive without data.pkl: not a torch.save checkpoint");
    const OpenFile file(path);
    const auto& pickle_record = record_for("data.pkl");
    std::vector<uint8_t> pickle(pickle_record.size);
    read_checked(file, reader.getRecordOffset("data.pkl"), "data.pkl", pickle_record, pickle.data(), pickle.size());
    StorageLoader load_storage = [&](const std::string& key, c10::ScalarType dtype, int64_t numel) {
      const std::string name = "data/" + key;
      const auto& record = record_for(name);
      const size_t needed = static_cast<size_t>(numel) * c10::elementSize(dtype);
      if (record.size < needed)
        throw Error("tensor storage " + name + " holds " + std::to_string(record.size) + " bytes, needs " + std::to_string(needed));
      const uint64_t offset = reader.getRecordOffset(name);
      if (offset > file_size || record.size > file_size - offset) throw Error("tensor storage " + name + " ends early: the file is truncated");
      auto storage = torch::empty({numel}, torch::TensorOptions().dtype(dtype));
      read_checked(file, offset, name, record, static_cast<uint8_t*>(storage.data_ptr()), needed);
      return storage;
    };
    return to_state_dict(read_pickle(pickle.data(), pickle.size(), load_storage));
  } catch (const Error& e) {
    throw Error(name + ": " + e.what());
  } catch (const c10::Error& e) {
    throw Error(name + ": corrupt or truncated checkpoint (" + first_line(e) + ")");
  } catch (const std::bad_alloc&) {
    throw Error(name + ": corrupt checkpoint (a record claims more memory than is available)");
  }
}

void write_state_dict(const std::filesystem::path& path, const StateDict& state) {
  c10::Dict<std::string, torch::Tensor> dict;
  for (const auto& [key, tensor] : state) dict.insert(key, tensor.detach().cpu().contiguous());
  const std::vector<char> bytes = torch::pickle_save(dict);
  write_file_atomically(path, std::string_view(bytes.data(), bytes.size()));
}

}  // namespace sdm
