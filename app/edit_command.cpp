#include "app/edit_command.h"

#include "app/generation.h"
#include "app/option_checks.h"
#include "core/base/error.h"
#include "core/generation/known_region.h"
#include "core/io/image_io.h"

#include <torch/torch.h>

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
    auto prepared = prepare_generation(options->generation);
    const auto photo = read_rgb_image(options->photo);
    const auto mask = read_image_unchanged(options->mask);
    const int64_t count = options->generation.count;
    PhotoEdit edit;
    try {
      edit = add_photo_edit(prepared.request, prepared.generator, photo, mask, options->jump_length, options->jump_n);
    } catch (const Error& e) {
      throw Error(std::string(e.what()) + " (photo " + options->photo + ", mask " + options->mask + ")");
    }
    const std::filesystem::path out = options->out;
    const auto images = run_generation(prepared, options->generation, out.parent_path() / (out.stem().string() + "-steps"));
    for (int64_t i = 0; i < count; ++i) {
      auto path = out;
      if (count > 1) path.replace_filename(out.stem().string() + "-" + std::to_string(1000 + i).substr(1) + out.extension().string());
      write_png(path, composite_photo_edit(edit, tensor_to_rgb(images[i]), options->feather));
      std::cout << path.string() << "  (seed " << options->generation.seed + i << ")\n";
    }
  });
}

}  // namespace sdm::cli
