#pragma once

#include "core/config_inference.h"

#include <CLI/CLI.hpp>

#include <filesystem>
#include <string>

namespace sdm::cli {

// The options every command that takes a model shares: the head split that weights cannot show.
struct ModelOptions {
  int num_heads = 0;          // 0: not given
  int num_head_channels = 0;  // 0: not given

  void add_to(CLI::App& command);
  HeadOptions heads() const;
};

// The shipped default model's checkpoint, or an sdm::Error saying none was found.
std::filesystem::path default_model_path();

}  // namespace sdm::cli
