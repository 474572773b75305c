#include "app/edit_command.h"

#include "app/generation.h"
#include "app/option_checks.h"
#include "core/io/image_io.h"

#include <iostream>
#include <memory>

namespace sdm::cli {

void add_edit_command(CLI::App& app) {
  struct Options {
    GenerationOptions generation;
    std::string photo, mask, out;
    int jump_length = 0, jump_n = 1, feather = 0;
  };
  auto options = std::make_shared<Options>();
  auto* command = app.add_subcommand("edit", "Regenerate a photo inside a mask, following an edited label map");
  options->generation.add_to(*command);
  command->add_option("--photo", options->photo, "the photo to edit")->required()->check(readable_file);
  command->add_option("--mask", options->mask, "mask PNG, white = regenerate (the photo's size)")->required()->check(readable_file);
  command->add_option("--jump-length", options->jump_length, "RePaint resampling: steps to jump back (0 = off)")
      ->check(whole_range(0, 1000));
  command->add_option("--jump-n", options->jump_n, "RePaint resampling: passes over each segment")->check(whole_range(1, 100));
  command->add_option("--feather", options->feather, "blend the border over this many photo pixels")->check(whole_range(0, 10000));
  command->add_option("--out", options->out, "output PNG (with --count K: FILE-000.png …)")->required()->check(writable_file);
  command->callback([options] {
    auto plan = generation_plan(options->generation);
    plan.edit = PhotoEditPlan{.photo = read_rgb_image(options->photo),
                              .mask = read_image_unchanged(options->mask),
                              .feather = options->feather,
                              .jump_length = options->jump_length,
                              .jump_n = options->jump_n,
                              .name = "photo " + options->photo + ", mask " + options->mask};
    const std::filesystem::path out = options->out;
    const auto pictures = run_generation(options->generation, plan, out.parent_path() / (out.stem().string() + "-steps"));
    for (size_t i = 0; i < pictures.size(); ++i) {
      auto path = out;
      if (pictures.size() > 1) path.replace_filename(out.stem().string() + "-" + std::to_string(1000 + i).substr(1) + out.extension().string());
      write_png(path, pictures[i].image);
      std::cout << path.string() << "  (seed " << pictures[i].seed << ")\n";
    }
  });
}

}  // namespace sdm::cli
