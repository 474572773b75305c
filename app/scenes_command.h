#pragma once

#include <CLI/CLI.hpp>

namespace sdm::cli {

// `sdm scenes --count N --size S --out DIR`: procedural landscapes with ADE20K label maps, in the
// ADE20K layout (DIR/images/, DIR/annotations/) that the trainer reads.
void add_scenes_command(CLI::App& app);

}  // namespace sdm::cli
