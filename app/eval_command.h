#pragma once

#include <CLI/CLI.hpp>

namespace sdm::cli {

// `sdm eval --maps DIR [--model M] [--segmenter S] [--guidance 1,1.5,…] --report FILE.md`: mIoU,
// diversity and per-class colours of a model's pictures, across guidance scales.
void add_eval_command(CLI::App& app);

}  // namespace sdm::cli
