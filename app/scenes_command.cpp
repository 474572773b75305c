#include "app/scenes_command.h"

#include "app/option_checks.h"
#include "app/progress_bar.h"
#include "core/io/image_io.h"
#include "core/scenes/landscape_scene.h"

#include <cstdio>
#include <filesystem>
#include <iostream>
#include <memory>

namespace sdm::cli {

void add_scenes_command(CLI::App& app) {
  struct Options {
    int count = 100;
    int size = 128;
    uint64_t seed = 0;
    std::string out;
  };
  auto options = std::make_shared<Options>();
  auto* command = app.add_subcommand("scenes", "Generate procedural landscapes with ADE20K label maps");
  command->add_option("--count", options->count, "number of scenes")->check(whole_range(1, 10000000))->capture_default_str();
  command->add_option("--size", options->size, "side in pixels")->check(whole_range(32, 4096))->capture_default_str();
  command->add_option("--seed", options->seed, "seed of the first scene; scene i uses seed + i")->capture_default_str();
  command->add_option("--out", options->out, "output folder (images/, annotations/)")->required()->check(writable_folder);
  command->callback([options] {
    const std::filesystem::path out = options->out;
    std::filesystem::create_directories(out / "images");
    std::filesystem::create_directories(out / "annotations");
    ProgressBar progress("scenes");
    for (int i = 0; i < options->count; ++i) {
      const auto scene = generate_landscape(options->seed + static_cast<uint64_t>(i), options->size);
      char name[32];
      std::snprintf(name, sizeof name, "scene-%06d.png", i);
      write_png(out / "images" / name, scene.image);
      write_png(out / "annotations" / name, scene.labels);
      progress.update(i + 1, options->count);
    }
    progress.finish();
    std::cout << options->count << " scenes in " << out.string() << "\n";
  });
}

}  // namespace sdm::cli
