#include "app/generate_command.h"

#include "app/generation.h"
#include "app/option_checks.h"
#include "core/io/image_io.h"

#include <cstdio>
#include <iostream>
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
    const auto images = run_generation(prepared, options->generation, out / "steps");
    for (int64_t i = 0; i < images.size(0); ++i) {
      char name[32];
      std::snprintf(name, sizeof name, "sample-%03lld.png", static_cast<long long>(i));
      write_png(out / name, tensor_to_rgb(images[i]));
      std::cout << (out / name).string() << "  (seed " << options->generation.seed + i << ")\n";
    }
  });
}

}  // namespace sdm::cli
