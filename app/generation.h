#pragma once

#include "app/model_options.h"
#include "core/generation/generation_context.h"

#include <CLI/CLI.hpp>

#include <filesystem>
#include <string>

namespace sdm::cli {

// The options `sdm generate`, `sdm edit` and `sdm upscale` share.
struct GenerationOptions {
  ModelOptions model;
  std::string labels;
  std::string instances;
  std::string steps;  // empty: the model's sidecar "default_steps", else ddim25
  double guidance = 1.5;
  double eta = -1;  // each stage's recommendation
  int64_t seed = 0;
  int count = 1;
  std::string device = "auto";
  std::string dtype = "auto";
  int save_steps = 0;
  std::string upscaler;       // empty: the one the model's sidecar names, if any
  bool no_upscale = false;
  std::string upscale_steps;  // empty: the upscaler's recommendation
  double upscale_guidance = -1;  // < 0: the upscaler's recommendation
  std::string low_res_image;  // UpscaleOnly: the picture to refine
  FeatureReuse feature_reuse;  // DeepCache in the model's steps
  int upscale_deep_cache = 1;  // and its interval in the upscaler's (1: off)

  // generate and edit: Chain, the base model and, when it has one, its upscaler; upscale: Detail,
  // a super-resolution stage alone on a given low-res picture.
  void add_to(CLI::App& command, Stages stages = Stages::Chain);
  Stages stages = Stages::Chain;
};

// The context the options load: the model and, for generate and edit, the upscaler they choose
// (for upscale, the stage alone).
ContextParams context_params(const GenerationOptions& options);

// The plan the options make: the label map and instance map as read, steps, guidance, seeds,
// count and DeepCache, and for upscale the low-res picture; a caller may add a photo edit.
GenerationPlan generation_plan(const GenerationOptions& options);

// Loads the context (saying on stderr what it chose: a reduced precision, a missing upscaler) and
// runs `plan` with a progress bar per stage; every `save_steps` steps writes the previews as
// `frames_dir/sample-III-step-SSS.png` (the detail stage's as `sample-III-detail-step-SSS.png`).
std::vector<GeneratedPicture> run_generation(const GenerationOptions& options, GenerationPlan plan,
                                             const std::filesystem::path& frames_dir);

// A command that samples with these options and writes DIR/sample-000.png, … (see write_samples):
// `sdm generate` (Chain) and `sdm upscale` (Detail, whose --model defaults to the
// upscaler the shipped model names).
void add_sampling_command(CLI::App& app, const std::string& name, const std::string& description, Stages stages);

// Writes the pictures as out/sample-000.png, … and prints each path with its seed.
void write_samples(const std::vector<GeneratedPicture>& pictures, const std::filesystem::path& out);

}  // namespace sdm::cli
