#pragma once

#include <CLI/CLI.hpp>

namespace sdm::cli {

// `sdm generate … --out DIR`: DIR/sample-000.png, sample-001.png, … (variation i = seed + i).
void add_generate_command(CLI::App& app);

}  // namespace sdm::cli
