#include "app/generation.h"

#include "app/option_checks.h"
#include "app/progress_bar.h"
#include "core/base/device.h"
#include "core/base/error.h"
#include "core/diffusion/sampling_loop.h"
#include "core/io/image_io.h"
#include "core/io/label_map.h"
#include "core/io/resource_paths.h"
#include "core/io/sidecar_path.h"

#include <opencv2/imgproc.hpp>

#include <torch/torch.h>

#include <algorithm>
#include <cstdio>
#include <memory>
#include <iostream>

namespace sdm::cli {

void GenerationOptions::add_to(CLI::App& command, Stages kind) {
  stages = kind;
  model.add_to(command);
  if (kind == Stages::Cascade) {
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
  command.add_option("--eta", eta, "DDIM's η: 0 deterministic, 1 DDPM-like")->check(finite_range(0, 1))->capture_default_str();
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
  add_feature_reuse_options(command, feature_reuse, kind == Stages::Cascade ? &upscale_deep_cache : nullptr);
  command.add_option("--save-steps", save_steps, "also save the denoised preview every K steps")->check(whole_range(0, 100000));
}

namespace {

// The label map (and instance map) as `generator`'s network input, read at its size.
torch::Tensor read_condition(const Generator& generator, const GenerationOptions& options, LabelMapNotes& notes) {
  const auto& c = generator.model.config;
  const auto channels = read_label_map(options.labels, c.num_classes, generator.class_set(), c.image_height, c.image_width, &notes);
  torch::Tensor instances;
  if (!options.instances.empty()) {
    if (!c.instance_edges) notes.lines.push_back(options.instances + ": ignored, the model takes no instance edges");
    else instances = read_instance_map(options.instances, c.image_height, c.image_width, &notes);
  }
  return generator.condition(channels, options.count, instances);
}

// UpscaleOnly's input: the picture at the stage's low-res size, one copy per variation.
torch::Tensor read_low_res(const Generator& generator, const GenerationOptions& options, LabelMapNotes& notes) {
  const auto& c = generator.model.config;
  cv::Mat picture = read_rgb_image(options.low_res_image);
  if (int64_t{picture.rows} * c.image_width != int64_t{picture.cols} * c.image_height)
    throw Error(options.low_res_image + ": the picture is " + std::to_string(picture.cols) + "x" + std::to_string(picture.rows) +
                " but the label map is " + std::to_string(c.image_width) + "x" + std::to_string(c.image_height) + ": not the same aspect ratio");
  if (picture.rows != c.low_res_height || picture.cols != c.low_res_width) {
    notes.lines.push_back(options.low_res_image + ": scaled from " + std::to_string(picture.cols) + "x" + std::to_string(picture.rows) +
                          " to the stage's " + std::to_string(c.low_res_width) + "x" + std::to_string(c.low_res_height));
    cv::resize(picture, picture, cv::Size(c.low_res_width, c.low_res_height), 0, 0,
               picture.rows > c.low_res_height ? cv::INTER_AREA : cv::INTER_LINEAR);
  }
  return rgb_to_tensor(picture).unsqueeze(0).expand({options.count, -1, -1, -1}).contiguous().to(generator.device);
}

}  // namespace

PreparedGeneration prepare_generation(const GenerationOptions& options) {
  PreparedGeneration prepared{load_generator(options.model.checkpoint(), options.model.heads(), options.device, options.dtype)};
  auto& generator = prepared.generator;
  const bool super_resolution = generator.model.config.super_resolution();
  const auto model_path = options.model.checkpoint().string();
  if (options.stages == GenerationOptions::Stages::UpscaleOnly && !super_resolution)
    throw Error(model_path + ": is a base model, not a super-resolution stage (sdm generate runs it)");
  if (options.stages == GenerationOptions::Stages::Cascade && super_resolution)
    throw Error(model_path + ": is a super-resolution stage, not a base model (use sdm upscale, or pass it as --upscaler)");
  if (options.stages == GenerationOptions::Stages::Cascade && !options.no_upscale) {
    const std::filesystem::path upscaler = options.upscaler.empty() ? generator.model.upscaler : std::filesystem::path(options.upscaler);
    if (!upscaler.empty()) {
      if (!std::filesystem::is_regular_file(upscaler))
        throw Error(upscaler.string() + ": the upscaler " + sidecar_path(generator.model.path).string() + " names is missing (--no-upscale: without it)");
      attach_upscaler(generator, upscaler, options.device, options.dtype);
    }
  }
  const auto upscale_reuse = upscale_feature_reuse(options.feature_reuse, options.upscale_deep_cache);
  check_feature_reuse(options.feature_reuse, upscale_reuse, generator);
  if (options.dtype == "auto" && generator.model.model->torso_dtype() != torch::kFloat)
    std::cerr << "note: computing in " << sdm::dtype_name(generator.model.model->torso_dtype())
              << ", which this CPU computes natively (--dtype fp32 for fp32's exact results)\n";
  LabelMapNotes notes;
  auto labels = read_condition(generator, options, notes);
  auto& request = prepared.request = generator.upscaler ? generator.request(labels, read_condition(*generator.upscaler, options, notes))
                                                        : generator.request(labels);
  if (super_resolution) request.low_res = read_low_res(generator, options, notes);
  // Notes once each: the two stages read the same files.
  std::sort(notes.lines.begin(), notes.lines.end());
  notes.lines.erase(std::unique(notes.lines.begin(), notes.lines.end()), notes.lines.end());
  for (const auto& line : notes.lines) std::cerr << "note: " << line << "\n";
  if (!options.steps.empty()) request.steps = options.steps;
  request.guidance = options.guidance;
  request.eta = options.eta;
  request.seed = options.seed;
  request.feature_reuse = options.feature_reuse;
  if (request.upscale) {
    request.upscale->feature_reuse = upscale_reuse;
    if (!options.upscale_steps.empty()) request.upscale->steps = options.upscale_steps;
    if (options.upscale_guidance >= 0) request.upscale->guidance = options.upscale_guidance;
    request.upscale->eta = options.eta;
  }
  request.on_smaller_parts = [](int64_t count) {
    std::cerr << "\nnote: out of memory with the whole batch; continuing " << count << " at a time\n";
  };
  return prepared;
}

torch::Tensor run_generation(PreparedGeneration& prepared, const GenerationOptions& options, const std::filesystem::path& frames_dir) {
  auto request = prepared.request;
  if (options.save_steps > 0) std::filesystem::create_directories(frames_dir);
  // One bar per stage: "layout" for the base model, "detail" for its upscaler.
  const bool upscale_only = prepared.generator.model.config.super_resolution();
  auto stage_name = [&](int stage) { return stage == 1 || upscale_only ? "detail" : request.upscale ? "layout" : "sampling"; };
  int stage = 0;
  auto progress = std::make_unique<ProgressBar>(stage_name(0));
  request.on_step = [&](const StepProgress& p) {
    if (p.stage != stage) {
      progress->finish();
      stage = p.stage;
      progress = std::make_unique<ProgressBar>(stage_name(stage));
    }
    progress->update(p.step, p.total);
    if (options.save_steps > 0 && (p.step % options.save_steps == 0 || p.step == p.total))
      for (int64_t i = 0; i < p.preview.size(0); ++i) {
        char name[64];
        std::snprintf(name, sizeof name, "sample-%03lld-%sstep-%03d.png", static_cast<long long>(i),
                      p.stage == 1 || upscale_only ? "detail-" : "", p.step);
        write_png(frames_dir / name, tensor_to_rgb(p.preview[i]));
      }
    return true;
  };
  const auto result = sample(request);
  progress->finish();
  return result.images.cpu();
}

void add_sampling_command(CLI::App& app, const std::string& name, const std::string& description, GenerationOptions::Stages stages) {
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
    if (generation.stages == GenerationOptions::Stages::UpscaleOnly && generation.model.path.empty()) {
      const auto upscaler = named_upscaler(default_model_path());
      if (upscaler.empty()) throw Error(default_model_path().string() + ": the shipped model names no upscaler (give --model)");
      generation.model.path = upscaler.string();
    }
    auto prepared = prepare_generation(generation);
    const std::filesystem::path out = options->out;
    write_samples(run_generation(prepared, generation, out / "steps"), out, generation.seed);
  });
}

void write_samples(const torch::Tensor& images, const std::filesystem::path& out, int64_t seed) {
  std::filesystem::create_directories(out);
  for (int64_t i = 0; i < images.size(0); ++i) {
    char name[32];
    std::snprintf(name, sizeof name, "sample-%03lld.png", static_cast<long long>(i));
    write_png(out / name, tensor_to_rgb(images[i]));
    std::cout << (out / name).string() << "  (seed " << seed + i << ")\n";
  }
}

}  // namespace sdm::cli
