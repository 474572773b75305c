#include "core/io/path_checks.h"

#include <unistd.h>

namespace sdm {

namespace {

// The nearest path at or above `path` that exists ("." for a relative path with none).
std::filesystem::path existing_ancestor(std::filesystem::path path) {
  std::error_code error;
  while (!path.empty() && !std::filesystem::exists(path, error)) path = path.parent_path();
  return path.empty() ? std::filesystem::path(".") : path;
}

// "" when new files can be made in `folder` (which exists), else why not, for a message on `path`.
std::string uncreatable_in(const std::filesystem::path& folder, const std::filesystem::path& path) {
  std::error_code error;
  if (!std::filesystem::is_directory(folder, error))
    return path.string() + ": " + (folder == path ? std::string("is") : folder.string() + " is") + " a file, not a folder";
  if (::access(folder.c_str(), W_OK | X_OK) != 0) return path.string() + ": cannot write in " + folder.string();
  return {};
}

}  // namespace

std::string unreadable_file(const std::filesystem::path& path) {
  std::error_code error;
  if (!std::filesystem::exists(path, error)) return path.string() + ": no such file";
  if (std::filesystem::is_directory(path, error)) return path.string() + ": is a folder, not a file";
  if (::access(path.c_str(), R_OK) != 0) return path.string() + ": cannot read it";
  return {};
}

std::string missing_folder(const std::filesystem::path& path) {
  std::error_code error;
  if (!std::filesystem::exists(path, error)) return path.string() + ": no such folder";
  if (!std::filesystem::is_directory(path, error)) return path.string() + ": is a file, not a folder";
  return {};
}

std::string unwritable_file(const std::filesystem::path& path) {
  std::error_code error;
  if (std::filesystem::is_directory(path, error)) return path.string() + ": is a folder, not a file";
  if (std::filesystem::exists(path, error) && ::access(path.c_str(), W_OK) != 0) return path.string() + ": cannot overwrite it";
  return uncreatable_in(existing_ancestor(path.parent_path()), path);
}

std::string unwritable_folder(const std::filesystem::path& path) { return uncreatable_in(existing_ancestor(path), path); }

}  // namespace sdm
