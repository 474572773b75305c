#include "app/model_options.h"

#include "core/error.h"

namespace sdm::cli {

void ModelOptions::add_to(CLI::App& command) {
  command.add_option("--num-heads", num_heads, "attention heads per block (the reference's num_heads; -1 = unused)");
  command.add_option("--num-head-channels", num_head_channels,
                     "channels per attention head (the reference's num_head_channels; -1 = use --num-heads)");
}

HeadOptions ModelOptions::heads() const {
  HeadOptions heads;
  if (num_heads != 0) heads.num_heads = num_heads;
  if (num_head_channels != 0) heads.num_head_channels = num_head_channels;
  return heads;
}

std::filesystem::path default_model_path() {
  for (const char* dir : {SDM_SOURCE_MODELS_DIR, SDM_INSTALLED_MODELS_DIR}) {
    const auto path = std::filesystem::path(dir) / "default.pt";
    if (std::filesystem::exists(path)) return path;
  }
  throw Error(std::string("no default model found (looked for default.pt in ") + SDM_SOURCE_MODELS_DIR + " and " +
              SDM_INSTALLED_MODELS_DIR + "): give a checkpoint");
}

}  // namespace sdm::cli
