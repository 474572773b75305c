#include "app/train_command.h"

#include "app/option_checks.h"
#include "core/base/error.h"
#include "core/io/resource_paths.h"
#include "core/training/trainer.h"

#include <torch/torch.h>

#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <memory>

namespace sdm::cli {

namespace {

std::atomic<bool> stop_requested{false};
void request_stop(int) { stop_requested = true; }

struct TrainArguments {
  TrainingOptions training;
  std::string data, out, init, classes = "ade20k-landscape", channel_mult = "1,2,3,4", attention = "16,8";
  int image_size = 64, channels = 64, res_blocks = 2, head_channels = 32, spade_hidden = 128, super_res = 0;
};

}  // namespace

void add_train_command(CLI::App& app) {
  auto a = std::make_shared<TrainArguments>();
  auto* command = app.add_subcommand("train", "Train an SDM model on image/label pairs");
  auto& t = a->training;
  command->add_option("--data", a->data, "training folder in a reference layout — ADE20K (images/ + annotations/), CelebAMask-HQ (images/ + labels/), "
                  "COCO-Stuff (train_img/ + train_label/ [+ train_inst/]), Cityscapes (leftImg8bit/ + gtFine/) — or x.jpg + x.png pairs")
      ->required()
      ->check(existing_folder);
  command->add_option("--out", a->out, "folder for checkpoints, state and sample grids")->required()->check(writable_folder);
  command->add_flag("--resume", t.resume, "continue the run saved in --out");
  command->add_option("--init", a->init, "start from these weights (a milestone checkpoint) instead of random ones")->check(readable_file);
  command->add_option("--classes", a->classes, "class set in resources/classes")->check(class_set_name)->capture_default_str();
  command->add_option("--image-size", a->image_size, "model resolution (square)")->check(whole_range(8, 4096))->capture_default_str();
  command->add_option("--super-res", a->super_res,
                      "train a super-resolution stage that refines pictures FACTOR times smaller than --image-size (0: a base model)")
      ->check(whole_range(0, 64))
      ->capture_default_str();
  command->add_option("--crop", t.crop, "train on random square crops of this side at the model's resolution (0: the whole picture)")
      ->check(whole_range(0, 4096))
      ->capture_default_str();
  command->add_option("--augment-probability", t.augmentation.probability,
                      "super-resolution: probability of blurring, and of noising, the low-res input")
      ->check(finite_range(0, 1))
      ->capture_default_str();
  command->add_option("--augment-blur", t.augmentation.blur_sigma_max, "super-resolution: largest blur σ, in low-res pixels")
      ->check(finite_range(0, 100))
      ->capture_default_str();
  command->add_option("--augment-noise", t.augmentation.noise_max, "super-resolution: largest noise standard deviation")
      ->check(finite_range(0, 10))
      ->capture_default_str();
  command->add_option("--sampling-blur", t.augmentation.sampling_blur_sigma,
                      "super-resolution: blur σ the stage applies to its input when sampling (recorded in the sidecar)")
      ->check(finite_range(0, 100))
      ->capture_default_str();
  command->add_option("--channels", a->channels, "base channels")->check(whole_range(1, 4096))->capture_default_str();
  command->add_option("--channel-mult", a->channel_mult, "channel multipliers per level")->check(positive_int_list(false))->capture_default_str();
  command->add_option("--res-blocks", a->res_blocks, "res blocks per level")->check(whole_range(1, 64))->capture_default_str();
  command->add_option("--attention", a->attention, "attention resolutions in pixels (empty: none)")
      ->check(positive_int_list(true))
      ->capture_default_str();
  command->add_option("--head-channels", a->head_channels, "channels per attention head")->check(whole_range(1, 4096))->capture_default_str();
  command->add_option("--spade-hidden", a->spade_hidden, "SPADE's hidden width")->check(whole_range(1, 4096))->capture_default_str();
  command->add_option("--batch", t.batch, "batch size per process (data-parallel: RANK, WORLD_SIZE, MASTER_ADDR, MASTER_PORT)")
      ->check(whole_range(1, 4096))
      ->capture_default_str();
  command->add_option("--lr", t.learning_rate, "AdamW learning rate")->check(finite_range(0, 1))->capture_default_str();
  command->add_option("--weight-decay", t.weight_decay, "AdamW weight decay")->check(finite_range(0, 1))->capture_default_str();
  command->add_option("--ema", t.ema_rate, "EMA rate")->check(finite_range(0, 1))->capture_default_str();
  command->add_option("--drop-rate", t.drop_rate, "probability of training on the empty label map (guidance)")
      ->check(finite_range(0, 1))
      ->capture_default_str();
  command->add_option("--vb-weight", t.vb_weight, "λ of the variational bound term")->check(finite_range(0, 1000))->capture_default_str();
  command->add_option("--timestep-share", t.timestep_share,
                      "train on the first share of the timesteps only: for a super-resolution stage whose sidecar's "
                      "low_res_start samples only the trajectory's end")
      ->check(finite_range(0, 1))
      ->capture_default_str();
  command->add_option("--grad-clip", t.grad_clip, "max gradient norm (0 = off)")->check(finite_range(0, 1e6))->capture_default_str();
  command->add_option("--steps", t.steps, "total steps")->check(whole_range(1, int64_t{1} << 40))->capture_default_str();
  command->add_option("--save-every", t.save_every, "save the state every N steps")
      ->check(whole_range(1, int64_t{1} << 40))
      ->capture_default_str();
  command->add_option("--sample-every", t.sample_every, "write a sample grid every N steps (0 = never)")
      ->check(whole_range(0, int64_t{1} << 40))
      ->capture_default_str();
  command->add_option("--seed", t.seed, "seed of every random choice")->capture_default_str();
  command->add_option("--device", t.device, "auto, cpu, cuda or cuda:N")->check(device_name)->capture_default_str();
  command->add_option("--dtype", t.dtype, "fp32, or mixed precision: bf16, fp16 (CUDA; loss scaled)")->check(dtype_name)->capture_default_str();
  add_threads_option(*command);
  command->callback([a] {
    auto& o = a->training;
    o.data = a->data;
    o.out = a->out;
    o.init = a->init;
    o.classes = ClassSet::load(required_class_set_path(a->classes));
    auto& c = o.model;
    c.image_height = c.image_width = a->image_size;
    c.num_channels = a->channels;
    c.channel_mult = parse_int_list(a->channel_mult, "--channel-mult");
    c.num_res_blocks = a->res_blocks;
    c.attention_resolutions = parse_int_list(a->attention, "--attention");
    c.num_head_channels = a->head_channels;
    c.num_classes = o.classes.num_classes;
    c.instance_edges = o.classes.instance_edges;
    c.learn_sigma = true;
    c.spade_hidden = a->spade_hidden;
    if (a->super_res > 0) {
      if (a->image_size % a->super_res) throw Error("--image-size " + std::to_string(a->image_size) + " is not a multiple of --super-res " + std::to_string(a->super_res));
      c.low_res_height = c.low_res_width = a->image_size / a->super_res;
    }
    if (o.crop > a->image_size) throw Error("--crop " + std::to_string(o.crop) + " is larger than --image-size " + std::to_string(a->image_size));
    c.validate();
    // A new run's config (resumed and initialised runs take the saved model's).
    if (!o.resume && o.init.empty())
      if (const auto warning = c.colour_cast_warning(); !warning.empty()) std::fprintf(stderr, "warning: %s\n", warning.c_str());

    std::signal(SIGINT, request_stop);
    std::signal(SIGTERM, request_stop);
    const auto start = std::chrono::steady_clock::now();
    int64_t first = -1;
    Trainer trainer(o);
    const auto reached = trainer.run(
        [&](const TrainingProgress& p) {
          if (first < 0) first = p.step - 1;
          const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
          const double per_step = elapsed / double(p.step - first);
          if (p.step % 10 == 0 || p.step == p.total)
            std::fprintf(stderr, "step %lld/%lld  loss %.4f (mse %.4f, vb %.4f)  %.2f s/step  ETA %.0f min\n",
                         static_cast<long long>(p.step), static_cast<long long>(p.total), p.loss, p.mse, p.vb, per_step,
                         per_step * double(p.total - p.step) / 60);
        },
        stop_requested);
    std::printf("stopped at step %lld; state in %s\n", static_cast<long long>(reached), a->out.c_str());
  });
}

}  // namespace sdm::cli
