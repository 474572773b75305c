#pragma once

#include <filesystem>
#include <string>

namespace sdm {

// Checks of paths a user names, before any work: each returns "" when the path will do, else
// one line naming the path and the problem. The CLI's option checks and the app's command line
// both use them.

// An input file: it exists, is not a folder, and can be read ("PATH: no such file").
std::string unreadable_file(const std::filesystem::path& path);
// An input folder: it exists and is a folder.
std::string missing_folder(const std::filesystem::path& path);
// An output file: not a folder, and new files can be made where it goes (its folder, or the
// nearest one above it that exists, for folders yet to be made).
std::string unwritable_file(const std::filesystem::path& path);
// An output folder: it, or the nearest folder above it that exists, can be written.
std::string unwritable_folder(const std::filesystem::path& path);

}  // namespace sdm
