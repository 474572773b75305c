#pragma once

#include <CLI/CLI.hpp>

namespace sdm::cli {

// `sdm bench`: step, forward and whole-sample times, peak memory and achieved GFLOP/s against
// the device's practical matmul peak.
void add_bench_command(CLI::App& app);

}  // namespace sdm::cli
