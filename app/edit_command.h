#pragma once

#include <CLI/CLI.hpp>

namespace sdm::cli {

// `sdm edit --photo P --labels L --mask K … --out FILE.png`: regenerates the photo inside the mask.
void add_edit_command(CLI::App& app);

}  // namespace sdm::cli
