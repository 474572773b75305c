#include "core/checkpoint/checkpoint_file.h"

#include "core/base/error.h"
#include "core/checkpoint/pickle_reader.h"
#include "core/checkpoint/zip_directory.h"
#include "core/io/atomic_file.h"

#include <caffe2/serialize/inline_container.h>
#include <torch/serialize.h>
#include <torch/torch.h>

#include <zlib.h>

#include <fstream>
#include <memory>

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
    const auto crcs = read_zip_crc32s(path);
    // LibTorch's reader does not check CRCs: a flipped byte would otherwise load as a wrong weight.
    auto read_record = [&](const std::string& record) {
      auto [data, size] = reader.getRecord(record);
      auto crc = crcs.find(record);
      const auto actual = ::crc32_z(::crc32_z(0, nullptr, 0), static_cast<const Bytef*>(data.get()), size);
      if (crc == crcs.end() || crc->second != actual) throw Error("record " + record + " fails its CRC check: the file is corrupt");
      return std::pair{std::move(data), size};
    };
    if (!reader.hasRecord("data.pkl")) throw Error("zip archive without data.pkl: not a torch.save checkpoint");
    auto [pickle, pickle_size] = read_record("data.pkl");
    StorageLoader load_storage = [&](const std::string& key, c10::ScalarType dtype, int64_t numel) {
      const std::string record = "data/" + key;
      if (!reader.hasRecord(record)) throw Error("tensor storage " + record + " is missing");
      auto [data, bytes] = read_record(record);
      const size_t needed = static_cast<size_t>(numel) * c10::elementSize(dtype);
      if (bytes < needed)
        throw Error("tensor storage " + record + " holds " + std::to_string(bytes) + " bytes, needs " + std::to_string(needed));
      auto storage = torch::empty({numel}, torch::TensorOptions().dtype(dtype));
      std::memcpy(storage.data_ptr(), data.get(), needed);
      return storage;
    };
    return to_state_dict(read_pickle(static_cast<const uint8_t*>(pickle.get()), pickle_size, load_storage));
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
