#include "core/io/resource_paths.h"

#include "core/base/error.h"

namespace sdm {

namespace {
std::filesystem::path find_data_file(const std::filesystem::path& relative) {
  for (const char* root : {SDM_SOURCE_DIR, SDM_INSTALLED_DATA_DIR})
    if (auto path = std::filesystem::path(root) / relative; std::filesystem::exists(path)) return path;
  return {};
}
}  // namespace

std::filesystem::path default_model_path() {
  auto path = find_data_file("models/default.pt");
  if (path.empty())
    throw Error(std::string("no default model found (models/default.pt in ") + SDM_SOURCE_DIR + " or " +
                SDM_INSTALLED_DATA_DIR + "): give a checkpoint with --model");
  return path;
}

std::filesystem::path default_segmenter_path() {
  auto path = find_data_file("models/segmenter.pt");
  if (path.empty()) throw Error("no segmenter found (models/segmenter.pt): give one with --segmenter, or train one with sdm segmenter");
  return path;
}

std::filesystem::path class_set_path(const std::string& dataset) {
  return find_data_file(std::filesystem::path("resources/classes") / (dataset + ".json"));
}

std::filesystem::path required_class_set_path(const std::string& dataset) {
  auto path = class_set_path(dataset);
  if (path.empty()) throw Error("no class set '" + dataset + "' in resources/classes");
  return path;
}

}  // namespace sdm
