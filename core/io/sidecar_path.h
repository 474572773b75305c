#pragma once

#include <filesystem>

namespace sdm {

// The JSON sidecar beside a weights file (a model or a segmenter): `name.pt` → `name.json`.
std::filesystem::path sidecar_path(const std::filesystem::path& weights);

}  // namespace sdm
