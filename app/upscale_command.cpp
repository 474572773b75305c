#include "app/upscale_command.h"

#include "app/generation.h"
#include "app/option_checks.h"
#include "core/base/error.h"
#include "core/checkpoint/model_file.h"
#include "core/io/resource_paths.h"

#include <memory>

namespace sdm::cli {

void add_upscale_command(CLI::App& app) {
  struct Options {
    GenerationOptions generation;
    std::string out;
  };
  auto options = std::make_shared<Options>();
  auto* command = app.add_subcommand("upscale", "Refine a low-res picture with a super-resolution stage, following a label map");
  options->generation.add_to(*command, GenerationOptions::Stages::UpscaleOnly);
  command->add_option("--out", options->out, "output folder")->required()->check(writable_folder);
  command->callback([options] {
    // Without --model: the upscaler the shipped model's sidecar names.
    if (options->generation.model.path.empty()) {
      const auto upscaler = named_upscaler(default_model_path());
      if (upscaler.empty()) throw Error(default_model_path().string() + ": the shipped model names no upscaler (give --model)");
      options->generation.model.path = upscaler.string();
    }
    auto prepared = prepare_generation(options->generation);
    const std::filesystem::path out = options->out;
    write_samples(run_generation(prepared, options->generation, out / "steps"), out, options->generation.seed);
  });
}

}  // namespace sdm::cli
