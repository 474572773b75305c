#include "test_support.h"

#include <atomic>
#include <unistd.h>

namespace sdm::test {

ClassSet class_set(const std::string& name) {
  return ClassSet::load(std::filesystem::path(SDM_TEST_DATA) / "../../resources/classes" / (name + ".json"));
}

int64_t parameter_count(const nlohmann::ordered_json& layout) {
  int64_t total = 0;
  for (const auto& [key, shape] : layout.at("keys").items()) {
    int64_t size = 1;
    for (const auto& extent : shape) size *= extent.get<int64_t>();
    total += size;
  }
  return total;
}

TemporaryDirectory::TemporaryDirectory() {
  static std::atomic<int> counter{0};
  path_ = std::filesystem::temp_directory_path() /
          ("sdm-test-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
  std::filesystem::remove_all(path_);
  std::filesystem::create_directories(path_);
}

TemporaryDirectory::~TemporaryDirectory() {
  std::error_code ignored;
  std::filesystem::remove_all(path_, ignored);
}

}  // namespace sdm::test
