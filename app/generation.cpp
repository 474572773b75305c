#include "app/generation.h"

#include "app/option_checks.h"
#include "app/progress_bar.h"
#include "core/base/error.h"
#include "core/diffusion/sampling_loop.h"
#include "core/io/image_io.h"
#include "core/io/label_map.h"

#include <torch/torch.h>

#include <cstdio>
#include <iostream>

namespace sdm::cli {

void GenerationOptions::add_to(CLI::App& command) {
  model.add_to(command);
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
  command.add_option("--dtype", dtype, "fp32; bf16 or fp16 (CUDA) run the network's convolutions in half precision")
      ->check(dtype_name)
      ->capture_default_str();
  add_threads_option(command);
  command.add_option("--save-steps", save_steps, "also save the denoised preview every K steps")->check(whole_range(0, 100000));
}

PreparedGeneration prepare_generation(const GenerationOptions& options) {
  PreparedGeneration prepared{load_generator(options.model.checkpoint(), options.model.heads(), options.device, options.dtype)};
  const auto& generator = prepared.generator;
  const auto& c = generator.model.config;
  LabelMapNotes notes;
  const auto channels = read_label_map(options.labels, c.num_classes, generator.class_set(), c.image_height, c.image_width, &notes);
  torch::Tensor instances;
  if (!options.instances.empty()) {
    if (!c.instance_edges) notes.lines.push_back(options.instances + ": ignored, the model takes no instance edges");
    else instances = read_instance_map(options.instances, c.image_height, c.image_width, &notes);
  }
  for (const auto& line : notes.lines) std::cerr << "note: " << line << "\n";
  auto& request = prepared.request = generator.request(generator.condition(channels, options.count, instances));
  if (!options.steps.empty()) request.steps = options.steps;
  request.guidance = options.guidance;
  request.eta = options.eta;
  request.seed = options.seed;
  request.on_smaller_parts = [](int64_t count) {
    std::cerr << "\nnote: out of memory with the whole batch; continuing " << count << " at a time\n";
  };
  return prepared;
}

torch::Tensor run_generation(PreparedGeneration& prepared, const GenerationOptions& options, const std::filesystem::path& frames_dir) {
  auto request = prepared.request;
  if (options.save_steps > 0) std::filesystem::create_directories(frames_dir);
  ProgressBar progress("sampling");
  request.on_step = [&](const StepProgress& p) {
    progress.update(p.step, p.total);
    if (options.save_steps > 0 && (p.step % options.save_steps == 0 || p.step == p.total))
      for (int64_t i = 0; i < p.preview.size(0); ++i) {
        char name[64];
        std::snprintf(name, sizeof name, "sample-%03lld-step-%03d.png", static_cast<long long>(i), p.step);
        write_png(frames_dir / name, tensor_to_rgb(p.preview[i]));
      }
    return true;
  };
  const auto result = sample(request);
  progress.finish();
  return result.images.cpu();
}

}  // namespace sdm::cli
