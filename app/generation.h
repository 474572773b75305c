#pragma once

#include "app/model_options.h"
#include "core/diffusion/sampling_request.h"
#include "core/generation/generator.h"

#include <CLI/CLI.hpp>

#include <filesystem>
#include <string>

namespace sdm::cli {

// The options `sdm generate` and `sdm edit` share.
struct GenerationOptions {
  ModelOptions model;
  std::string labels;
  std::string instances;
  std::string steps;  // empty: the model's sidecar "default_steps", else ddim25
  double guidance = 1.5;
  double eta = 0.0;
  int64_t seed = 0;
  int count = 1;
  std::string device = "auto";
  std::string dtype = "fp32";
  int save_steps = 0;

  void add_to(CLI::App& command);
};

// A model on its device and the request the options make: the label map encoded for it, one
// copy per variation, and the steps, guidance and seeds. A caller may add a known region.
struct PreparedGeneration {
  Generator generator;
  SamplingRequest request;
};

PreparedGeneration prepare_generation(const GenerationOptions& options);

// Samples with a progress bar; every `save_steps` steps writes the previews as
// `frames_dir/sample-III-step-SSS.png`. Returns [count, 3, H, W] on the CPU.
torch::Tensor run_generation(PreparedGeneration& prepared, const GenerationOptions& options, const std::filesystem::path& frames_dir);

}  // namespace sdm::cli
