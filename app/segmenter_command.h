#pragma once

#include <CLI/CLI.hpp>

namespace sdm::cli {

// `sdm segmenter --data DIR --validation DIR --out FILE.pt`: trains the segmenter `sdm eval` judges with.
void add_segmenter_command(CLI::App& app);

}  // namespace sdm::cli
