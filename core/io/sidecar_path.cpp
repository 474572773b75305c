#include "core/io/sidecar_path.h"

namespace sdm {

std::filesystem::path sidecar_path(const std::filesystem::path& weights) {
  auto path = weights;
  return path.replace_extension(".json");
}

}  // namespace sdm
