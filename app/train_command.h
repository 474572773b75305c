#pragma once

#include <CLI/CLI.hpp>

namespace sdm::cli {

// `sdm train --data DIR --out DIR [model and optimiser options] [--resume]`.
void add_train_command(CLI::App& app);

}  // namespace sdm::cli
