#pragma once

#include <CLI/CLI.hpp>

namespace sdm::cli {

// `sdm info [MODEL] [--json]`: the inferred config, parameter count, dtype and dataset.
void add_info_command(CLI::App& app);

}  // namespace sdm::cli
