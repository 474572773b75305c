#pragma once

#include "app/model_options.h"
#include "core/diffusion/sampling_request.h"
#include "core/generation/generator.h"

#include <CLI/CLI.hpp>

#include <filesystem>
#include <string>

namespace sdm::cli {

// The options `sdm generate`, `sdm edit` and `sdm upscale` share.
struct GenerationOptions {
  // generate and edit run the base model and, when it has one, its upscaler; upscale runs a
  // super-resolution stage alone on a given low-res picture.
  enum class Stages { Cascade, UpscaleOnly };
  ModelOptions model;
  std::string labels;
  std::string instances;
  std::string steps;  // empty: the model's sidecar "default_steps", else ddim25
  double guidance = 1.5;
  double eta = 0.0;
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

  void add_to(CLI::App& command, Stages stages = Stages::Cascade);
  Stages stages = Stages::Cascade;
};

// A model on its device (with its upscaler, when chained) and the request the options make: the
// label map encoded for each stage, one copy per variation, the steps, guidance and seeds, and
// for UpscaleOnly the low-res pictures. A caller may add known regions.
struct PreparedGeneration {
  Generator generator;
  SamplingRequest request;
};

PreparedGeneration prepare_generation(const GenerationOptions& options);

// Samples with a progress bar per stage; every `save_steps` steps writes the previews as
// `frames_dir/sample-III-step-SSS.png` (the detail stage's as `sample-III-detail-step-SSS.png`).
// Returns the last stage's [count, 3, H, W] on the CPU.
torch::Tensor run_generation(PreparedGeneration& prepared, const GenerationOptions& options, const std::filesystem::path& frames_dir);

// A command that samples with these options and writes DIR/sample-000.png, … (see write_samples):
// `sdm generate` (Cascade) and `sdm upscale` (UpscaleOnly, whose --model defaults to the
// upscaler the shipped model names).
void add_sampling_command(CLI::App& app, const std::string& name, const std::string& description, GenerationOptions::Stages stages);

// Writes `images` as out/sample-000.png, … and prints each path with its seed (seed + i).
void write_samples(const torch::Tensor& images, const std::filesystem::path& out, int64_t seed);

}  // namespace sdm::cli
