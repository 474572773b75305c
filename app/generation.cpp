#include "app/generation.h"

#include "app/option_checks.h"
#include "app/progress_bar.h"
#include "core/base/error.h"
#include "core/checkpoint/model_file.h"
#include "core/generation/generator.h"
#include "core/io/image_io.h"
#include "core/io/resource_paths.h"

#include <algorithm>
#include <cstdio>
#include <iostream>
#include <memory>

namespace sdm::cli {

void GenerationOptions::add_to(CLI::App& command, Stages kind) {
  stages = kind;
  model.add_to(command);
  if (kind == Stages::Chain) {
    command.add_option("--upscaler", upscaler, "super-resolution stage run after the model; default: the one its sidecar names")
        ->check(readable_file);
    command.add_flag("--no-upscale", no_upscale, "the base model's picture alone, without its upscaler");
    command.add_option("--upscale-steps", upscale_steps, "the upscaler's sampler and steps (as --steps); default: its recommendation")
        ->check(step_spec);
    command.add_option("--upscale-guidance", upscale_guidance, "the upscaler's guidance scale; default: its recommendation")
        ->check(finite_range(0, kMaxGuidance));
  } else {
    command.add_option("--image", low_res_image, "the low-res picture to refine (the label map's aspect ratio)")
        ->required()
        ->check(readable_file);
  }
  command.add_option("--labels", labels, "label map PNG: class ids (8/16-bit grey) or the dataset's colours")
      ->required()
      ->check(readable_file);
  command.add_option("--instances", instances, "instance map PNG, for models with an instance-edge channel")->check(readable_file);
  command.add_option("--steps", steps,
                     "sampler and steps: ddimN (DDIM), dpm++N (DPM-Solver++ 2M), or a respacing (\"50\", \"10,10,30\") for "
                     "DDPM; default: the model's recommendation, else ddim25")
      ->check(step_spec);
  command.add_option("--guidance", guidance, "classifier-free guidance scale s (1 = none, 0 = unconditional)")
      ->check(finite_range(0, kMaxGuidance))
      ->capture_default_str();
  command.add_option("--eta", eta, "DDIM's η in both stages: 0 deterministic, 1 DDPM-like; default: each model's recommendation, else 0")
      ->check(finite_range(0, 1));
  command.add_option("--seed", seed, "seed of the first variation; variation i uses seed + i")
      ->check(whole_range(0, INT64_MAX))
      ->capture_default_str();
  command.add_option("--count", count, "number of variations")->check(whole_range(1, 64))->capture_default_str();
  command.add_option("--device", device, "auto, cpu, cuda or cuda:N")->check(device_name)->capture_default_str();
  command.add_option("--dtype", dtype,
                     "auto: bf16 for models of 100 M parameters or more on a CPU with bf16 arithmetic, else fp32; fp32; bf16 "
                     "or fp16 (CUDA) run the network's convolutions in half precision")
      ->check(dtype_or_auto)
      ->capture_default_str();
  add_threads_option(command);
  add_feature_reuse_options(command, feature_reuse, kind == Stages::Chain ? &upscale_deep_cache : nullptr);
  command.add_option("--save-steps", save_steps, "also save the denoised preview every K steps")->check(whole_range(0, 100000));
}

ContextParams context_params(const GenerationOptions& options) {
  ContextParams params;
  params.model = options.model.checkpoint();
  params.heads = options.model.heads();
  params.device = options.device;
  params.dtype = options.dtype;
  if (options.no_upscale || options.stages == Stages::Detail) params.upscaler.kind = UpscalerChoice::Kind::None;
  else if (!options.upscaler.empty()) params.upscaler = {UpscalerChoice::Kind::File, options.upscaler};
  return params;
}

GenerationPlan generation_plan(const GenerationOptions& options) {
  GenerationPlan plan;
  plan.stages = options.stages;
  plan.labels = read_image_unchanged(options.labels);
  plan.labels_name = options.labels;
  if (!options.instances.empty()) {
    plan.instances = read_image_unchanged(options.instances);
    plan.instances_name = options.instances;
  }
  if (options.stages == Stages::Detail) {
    plan.layouts.assign(size_t(options.count), read_rgb_image(options.low_res_image));
    plan.layouts_name = options.low_res_image;
  }
  if (!options.steps.empty()) plan.steps = parse_step_spec(options.steps);
  plan.guidance = options.guidance;
  plan.eta = options.eta;
  plan.seed = options.seed;
  plan.count = options.count;
  plan.feature_reuse = options.feature_reuse;
  plan.detail_feature_reuse = upscale_feature_reuse(options.feature_reuse, options.upscale_deep_cache);
  if (!options.upscale_steps.empty()) plan.detail_steps = parse_step_spec(options.upscale_steps);
  plan.detail_guidance = options.upscale_guidance;
  if (options.stages == Stages::Detail) {  // the stage alone: its options are the model's own
    plan.detail_steps = plan.steps;
    plan.detail_guidance = plan.guidance;
    plan.detail_feature_reuse = plan.feature_reuse;
  }
  return plan;
}

std::vector<GeneratedPicture> run_generation(const GenerationOptions& options, GenerationPlan plan, const std::filesystem::path& frames_dir) {
  GenerationContext context(context_params(options));
  const auto& info = context.info();
  if (options.stages == Stages::Chain) require_base_model(context.generator());
  else require_super_resolution(context.generator());
  if (!info.upscaler_note.empty()) std::cerr << "note: " << info.upscaler_note << "\n";
  check_feature_reuse(plan.feature_reuse, plan.detail_feature_reuse, context.generator());
  if (options.dtype == "auto" && info.base.dtype != "fp32")
    std::cerr << "note: computing in " << info.base.dtype << ", which this CPU computes natively (--dtype fp32 for fp32's exact results)\n";
  plan.on_note = [](const std::string& line) { std::cerr << "note: " << line << "\n"; };

  if (options.save_steps > 0) {
    std::filesystem::create_directories(frames_dir);
    plan.preview_interval_ms = 0;
  }
  // One bar per stage: "layout" for the base model, "detail" for its upscaler.
  auto stage_name = [&](int stage) {
    return stage == 1 || options.stages == Stages::Detail ? "detail" : info.upscaler ? "layout" : "sampling";
  };
  int stage = 0;
  auto progress = std::make_unique<ProgressBar>(stage_name(0));
  plan.on_progress = [&](const GenerationProgress& p) {
    if (p.stage != stage) {
      progress->finish();
      stage = p.stage;
      progress = std::make_unique<ProgressBar>(stage_name(stage));
    }
    const bool detail = p.stage == 1;
    const int step = detail ? p.detail_step : p.layout_step, total = detail ? p.detail_total : p.layout_total;
    progress->update(step, total);
    // A detail stage's steps count on over its pictures; a preview's step is its picture's own.
    const int pictures = detail ? std::max<int>(1, options.count) : 1;
    const int own_step = step - (detail ? p.first * (total / pictures) : 0), own_total = total / pictures;
    if (p.previews.empty() || (own_step % options.save_steps != 0 && own_step != own_total)) return;
    for (size_t k = 0; k < p.previews.size(); ++k) {
      char name[64];
      std::snprintf(name, sizeof name, "sample-%03d-%sstep-%03d.png", p.first + int(k), detail ? "detail-" : "", own_step);
      write_png(frames_dir / name, p.previews[k]);
    }
  };
  auto result = context.run(plan);
  progress->finish();
  return std::move(result.pictures);
}

void add_sampling_command(CLI::App& app, const std::string& name, const std::string& description, Stages stages) {
  struct Options {
    GenerationOptions generation;
    std::string out;
  };
  auto options = std::make_shared<Options>();
  auto* command = app.add_subcommand(name, description);
  options->generation.add_to(*command, stages);
  command->add_option("--out", options->out, "output folder")->required()->check(writable_folder);
  command->callback([options] {
    auto& generation = options->generation;
    if (generation.stages == Stages::Detail && generation.model.path.empty()) {
      const auto upscaler = named_upscaler(default_model_path());
      if (upscaler.empty()) throw Error(default_model_path().string() + ": the shipped model names no upscaler (give --model)");
      generation.model.path = upscaler.string();
    }
    const std::filesystem::path out = options->out;
    write_samples(run_generation(generation, generation_plan(generation), out / "steps"), out);
  });
}

void write_samples(const std::vector<GeneratedPicture>& pictures, const std::filesystem::path& out) {
  std::filesystem::create_directories(out);
  for (size_t i = 0; i < pictures.size(); ++i) {
    char name[32];
    std::snprintf(name, sizeof name, "sample-%03zu.png", i);
    write_png(out / name, pictures[i].image);
    const int64_t seed = pictures[i].layout.empty() ? pictures[i].detail_seed : pictures[i].seed;
    std::cout << (out / name).string() << "  (seed " << seed << ")\n";
  }
}

}  // namespace sdm::cli
