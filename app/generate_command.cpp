#include "app/generate_command.h"

#include "app/generation.h"

namespace sdm::cli {

void add_generate_command(CLI::App& app) {
  add_sampling_command(app, "generate", "Generate images from a label map", Stages::Chain);
}

}  // namespace sdm::cli
