#pragma once

#include "core/checkpoint/model_file.h"

#include <CLI/CLI.hpp>

#include <string>

namespace sdm::cli {

// What every command that takes a model shares: the checkpoint (default: the shipped model) and
// the attention head split, which weights cannot show.
struct ModelOptions {
  std::string path;
  int num_heads = 0;          // 0: not given
  int num_head_channels = 0;  // 0: not given

  // Adds --model and the head options.
  void add_to(CLI::App& command);
  // Adds --num-heads and --num-head-channels; for a command that names the model otherwise.
  void add_head_options(CLI::App& command);
  std::filesystem::path checkpoint() const;  // `path`, else the shipped model
  HeadOptions heads() const;
  LoadedModel load() const;
};

}  // namespace sdm::cli
