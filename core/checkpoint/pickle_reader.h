#pragma once

#include <torch/types.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace sdm {

// A value of the pickle subset torch.save writes for tensors and dicts of them.
struct PickleValue {
  enum class Kind { None, Bool, Int, Float, String, Tuple, List, Dict, Global, Storage, Tensor };
  Kind kind = Kind::None;
  int64_t integer = 0;  // Int, Bool
  double real = 0.0;    // Float
  std::string text;     // String; "module.name" for Global
  // Tuple and List elements; Dict as key, value, key, value… in insertion order. Shared, so that
  // memoised references see the SETITEMS applied later, as in Python.
  std::shared_ptr<std::vector<PickleValue>> items;
  torch::Tensor tensor;  // Storage (1-D, whole storage) or Tensor

  bool is(Kind k) const { return kind == k; }
};

// Fetches a tensor storage named by a persistent id: ("storage", type, key, location, numel).
using StorageLoader = std::function<torch::Tensor(const std::string& key, c10::ScalarType dtype, int64_t numel)>;

// Runs the pickle program `data` (a torch.save `data.pkl`) and returns the value it builds.
// Understands protocols 2–5 as torch.save uses them: OrderedDict, _rebuild_tensor_v2,
// _rebuild_parameter and typed/untyped storages; anything else is refused. Every read is bounds
// checked and every tensor view checked against its storage, so a corrupt file gives sdm::Error,
// never a crash.
PickleValue read_pickle(const uint8_t* data, size_t size, const StorageLoader& load_storage);

}  // namespace sdm
