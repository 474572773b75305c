#include "app/generate_command.h"

#include "app/generation.h"
#include "app/option_checks.h"
#include <memory>

namespace sdm::cli {

void add_generate_command(CLI::App& app) {
  struct Options {
    GenerationOptions generation;
    std::string out;
  };
  auto options = std::make_shared<Options>();
  auto* command = app.add_subcommand("generate", "Generate images from a label map");
  options->generation.add_to(*command);
  command->add_option("--out", options->out, "output folder")->required()->check(writable_folder);
  command->callback([options] {
    auto prepared = prepare_generation(options->generation);
    const std::filesystem::path out = options->out;
    std::filesystem::create_directories(out);
    write_samples(run_generation(prepared, options->generation, out / "steps"), out, options->generation.seed);
  });
}

}  // namespace sdm::cli
