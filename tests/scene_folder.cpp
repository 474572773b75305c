#include "scene_folder.h"

#include "core/io/image_file.h"
#include "core/scenes/landscape_scene.h"

#include <string>

namespace sdm::test {

std::filesystem::path write_scenes(const std::filesystem::path& root, uint64_t first_seed, int count, int size) {
  std::filesystem::create_directories(root / "images");
  std::filesystem::create_directories(root / "annotations");
  for (int i = 0; i < count; ++i) {
    const auto scene = generate_landscape(first_seed + static_cast<uint64_t>(i), size);
    write_png(root / "images" / (std::to_string(i) + ".png"), scene.image);
    write_png(root / "annotations" / (std::to_string(i) + ".png"), scene.labels);
  }
  return root;
}

}  // namespace sdm::test
