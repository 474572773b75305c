#include "app/upscale_command.h"

#include "app/generation.h"

namespace sdm::cli {

void add_upscale_command(CLI::App& app) {
  add_sampling_command(app, "upscale", "Refine a low-res picture with a super-resolution stage, following a label map",
                       Stages::Detail);
}

}  // namespace sdm::cli
