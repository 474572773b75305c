#pragma once

#include <CLI/CLI.hpp>

namespace sdm::cli {

// `sdm upscale --image LOW.png --labels MAP.png … --out DIR`: a super-resolution stage alone,
// DIR/sample-000.png, … (variation i = seed + i).
void add_upscale_command(CLI::App& app);

}  // namespace sdm::cli
