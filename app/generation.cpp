#include "app/generation.h"

#include "app/progress_bar.h"
#include "core/base/error.h"
#include "core/io/image_io.h"
#include "core/io/label_map.h"

#include <torch/torch.h>

#include <cstdio>
#include <iostream>

namespace sdm::cli {

void GenerationOptions::add_to(CLI::App& command) {
  command.add_option("--model", model.path, "checkpoint (.pt); default: the shipped model");
  model.add_head_options(command);
  command.add_option("--labels", labels, "label map PNG: class ids (8/16-bit grey) or the dataset's colours")->required();
  command.add_option("--instances", instances, "instance map PNG, for models with an instance-edge channel");
  command.add_option("--steps", steps,
                     "sampler and steps: ddimN (DDIM), dpm++N (DPM-Solver++ 2M), or a respacing (\"50\", \"10,10,30\") for "
                     "DDPM; default: the model's recommendation, else ddim25");
  command.add_option("--guidance", guidance, "classifier-free guidance scale s (1 = none)")->capture_default_str();
  command.add_option("--eta", eta, "DDIM's η: 0 deterministic, 1 DDPM-like")->capture_default_str();
  command.add_option("--seed", seed, "seed of the first variation; variation i uses seed + i")->capture_default_str();
  command.add_option("--count", count, "number of variations")->check(CLI::Range(1, 64))->capture_default_str();
  command.add_option("--device", device, "auto, cpu, cuda or cuda:N")->capture_default_str();
  command.add_option("--dtype", dtype, "fp32; bf16 or fp16 (CUDA) run the network's convolutions in half precision")
      ->capture_default_str();
  command.add_option("--threads", threads, "CPU threads (default: all cores)")->check(CLI::NonNegativeNumber);
  command.add_option("--save-steps", save_steps, "also save the denoised preview every K steps")->check(CLI::NonNegativeNumber);
}

PreparedGeneration prepare_generation(const GenerationOptions& options) {
  if (options.threads > 0) torch::set_num_threads(options.threads);
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
  prepared.labels = generator.condition(channels, options.count, instances);
  return prepared;
}

torch::Tensor run_generation(PreparedGeneration& prepared, const GenerationOptions& options, const KnownRegion* known,
                             const std::filesystem::path& frames_dir) {
  SamplingOptions sampling;
  sampling.diffusion = prepared.generator.model.diffusion;
  sampling.steps = !options.steps.empty() ? options.steps : prepared.generator.default_steps();
  sampling.guidance = options.guidance;
  sampling.eta = options.eta;
  sampling.seed = options.seed;
  sampling.known = known;
  sampling.on_smaller_parts = [](int64_t count) {
    std::cerr << "\nnote: out of memory with the whole batch; continuing " << count << " at a time\n";
  };
  if (options.save_steps > 0) std::filesystem::create_directories(frames_dir);
  ProgressBar progress("sampling");
  sampling.on_step = [&](const StepProgress& p) {
    progress.update(p.step, p.total);
    if (options.save_steps > 0 && (p.step % options.save_steps == 0 || p.step == p.total))
      for (int64_t i = 0; i < p.preview.size(0); ++i) {
        char name[64];
        std::snprintf(name, sizeof name, "sample-%03lld-step-%03d.png", static_cast<long long>(i), p.step);
        write_png(frames_dir / name, tensor_to_rgb(p.preview[i]));
      }
    return true;
  };
  const auto result = sample(prepared.generator.model.model, prepared.labels, sampling);
  progress.finish();
  return result.images.cpu();
}

}  // namespace sdm::cli
