#pragma once

#include <cstdint>
#include <filesystem>

namespace sdm::test {

// `count` procedural landscapes of side `size`, scene i from seed `first_seed + i`, written as a
// training folder in the ADE20K layout: root/images/i.png and root/annotations/i.png. Returns root.
std::filesystem::path write_scenes(const std::filesystem::path& root, uint64_t first_seed, int count, int size);

}  // namespace sdm::test
