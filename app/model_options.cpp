#include "app/model_options.h"

#include "app/option_checks.h"
#include "core/io/resource_paths.h"

namespace sdm::cli {

void ModelOptions::add_to(CLI::App& command) {
  command.add_option("--model", path, "checkpoint (.pt); default: the shipped model")->check(readable_file);
  add_head_options(command);
}

void ModelOptions::add_head_options(CLI::App& command) {
  command.add_option("--num-heads", num_heads, "attention heads per block (the reference's num_heads; -1 = unused)")
      ->check(whole_range(-1, 4096));
  command.add_option("--num-head-channels", num_head_channels,
                     "channels per attention head (the reference's num_head_channels; -1 = use --num-heads)")
      ->check(whole_range(-1, 4096));
}

std::filesystem::path ModelOptions::checkpoint() const {
  return path.empty() ? default_model_path() : std::filesystem::path(path);
}

HeadOptions ModelOptions::heads() const {
  HeadOptions heads;
  if (num_heads != 0) heads.num_heads = num_heads;
  if (num_head_channels != 0) heads.num_head_channels = num_head_channels;
  return heads;
}

LoadedModel ModelOptions::load() const { return load_model(checkpoint(), heads()); }

}  // namespace sdm::cli
