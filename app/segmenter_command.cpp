#include "app/segmenter_command.h"

#include "app/option_checks.h"
#include "app/progress_bar.h"
#include "core/base/error.h"
#include "core/evaluation/segmenter_training.h"
#include "core/io/resource_paths.h"

#include <torch/torch.h>

#include <cstdio>
#include <memory>

namespace sdm::cli {

void add_segmenter_command(CLI::App& app) {
  struct Arguments {
    SegmenterTrainingOptions training;
    std::string data, validation, out, classes = "ade20k-landscape";
  };
  auto a = std::make_shared<Arguments>();
  auto& t = a->training;
  auto* command = app.add_subcommand("segmenter", "Train the segmentation network `sdm eval` reads generated pictures with");
  command->add_option("--data", a->data, "training pairs (e.g. from sdm scenes)")->required()->check(existing_folder);
  command->add_option("--validation", a->validation, "held-out pairs: the reported mIoU")->required()->check(existing_folder);
  command->add_option("--out", a->out, "segmenter file (.pt; a .json sidecar goes beside it)")->required()->check(writable_file);
  command->add_option("--classes", a->classes, "class set in resources/classes")->check(class_set_name)->capture_default_str();
  command->add_option("--image-size", t.image_size, "resolution (a multiple of 4)")
      ->check(whole_range(8, 4096))
      ->capture_default_str();
  command->add_option("--width", t.width, "channels of the first level")->check(whole_range(1, 4096))->capture_default_str();
  command->add_option("--batch", t.batch, "batch size")->check(whole_range(1, 4096))->capture_default_str();
  command->add_option("--steps", t.steps, "training steps")->check(whole_range(1, int64_t{1} << 40))->capture_default_str();
  command->add_option("--lr", t.learning_rate, "AdamW learning rate (cosine-decayed)")->check(finite_range(0, 1))->capture_default_str();
  command->add_flag("!--no-photometric-distortion", t.photometric_distortion,
                    "train on the pictures as they are, without random brightness, contrast, saturation and hue");
  command->add_option("--seed", t.seed, "seed of every random choice")->capture_default_str();
  add_threads_option(*command);
  command->callback([a] {
    // Its two 2× poolings need sides divisible by 4.
    if (a->training.image_size % 4 != 0)
      throw Error("--image-size " + std::to_string(a->training.image_size) + ": the segmenter needs a multiple of 4");
    auto& o = a->training;
    o.data = a->data;
    o.validation = a->validation;
    o.out = a->out;
    o.classes = ClassSet::load(required_class_set_path(a->classes));
    ProgressBar progress("segmenter");
    double average = 0;
    const double miou = train_segmenter(o, [&](int64_t step, double loss) {
      average = step == 1 ? loss : 0.98 * average + 0.02 * loss;
      char text[48];
      std::snprintf(text, sizeof text, "loss %.4f", average);
      progress.update(int(step), int(o.steps), text);
    });
    progress.finish();
    std::printf("%s: validation mIoU %.4f\n", a->out.c_str(), miou);
  });
}

}  // namespace sdm::cli
