#pragma once

#include <filesystem>

namespace sdm {

// Which super-resolution stage runs after a base model.
struct UpscalerChoice {
  enum class Kind { Named, None, File };
  Kind kind = Kind::Named;     // Named: the one the base model's sidecar names, if any
  std::filesystem::path path;  // Kind::File
  bool operator==(const UpscalerChoice&) const = default;
};

}  // namespace sdm
