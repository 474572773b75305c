#pragma once

#include "core/io/class_set.h"

#include <c10/core/MemoryFormat.h>
#include <nlohmann/json.hpp>
#include <torch/types.h>

#include <filesystem>
#include <fstream>
#include <string>

namespace sdm::test {

inline std::filesystem::path data_path(const std::string& name) { return std::filesystem::path(SDM_TEST_DATA) / name; }

inline nlohmann::ordered_json read_json(const std::filesystem::path& path) {
  std::ifstream in(path);
  return nlohmann::ordered_json::parse(in);
}

// "NCHW" or "channels-last", for test messages.
inline std::string layout_name(c10::MemoryFormat format) {
  return format == c10::MemoryFormat::ChannelsLast ? "channels-last" : "NCHW";
}

// The largest absolute difference between two tensors of one shape.
inline double max_diff(const torch::Tensor& a, const torch::Tensor& b) { return (a - b).abs().max().item<double>(); }
// The largest error relative to the largest value wanted.
inline double relative_error(const torch::Tensor& got, const torch::Tensor& want) {
  return ((got.to(torch::kDouble) - want).abs().max() / want.abs().max()).item<double>();
}

// resources/classes/<name>.json, loaded.
ClassSet class_set(const std::string& name);

// The parameter count a layout file's "keys" (name → shape) add up to.
int64_t parameter_count(const nlohmann::ordered_json& layout);

// A fresh empty directory under the system's temporary directory, removed with the object.
class TemporaryDirectory {
public:
  TemporaryDirectory();
  ~TemporaryDirectory();
  TemporaryDirectory(const TemporaryDirectory&) = delete;
  TemporaryDirectory& operator=(const TemporaryDirectory&) = delete;
  const std::filesystem::path& path() const { return path_; }
  std::filesystem::path operator/(const std::string& name) const { return path_ / name; }

private:
  std::filesystem::path path_;
};

}  // namespace sdm::test
