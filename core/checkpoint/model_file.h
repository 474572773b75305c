#pragma once

#include "core/checkpoint/config_inference.h"
#include "core/diffusion/diffusion_process.h"
#include "core/model/unet_model.h"

#include <nlohmann/json.hpp>

#include <filesystem>
#include <string>
#include <vector>

namespace sdm {

// A U-Net loaded from a checkpoint, with what was learnt about it on the way.
struct LoadedModel {
  std::filesystem::path path;
  ModelConfig config;
  DiffusionConfig diffusion;  // the sidecar's noise_schedule / diffusion_steps, else the reference's linear/1000
  UNetModel model{nullptr};
  c10::ScalarType checkpoint_dtype = torch::kFloat;  // as stored; the model itself runs in float32
  int64_t parameters = 0;
  nlohmann::json sidecar;                   // the sidecar JSON, or null when there is none
  std::vector<std::string> assumptions;     // from config inference
  std::string dataset;                      // class set: the sidecar's, else the matching preset's, else "custom"
  // The super-resolution stage the sidecar names ("upscaler", relative to the checkpoint's
  // folder), or empty: what `sdm generate` chains after this base model.
  std::filesystem::path upscaler;
};

// Loads a reference or SDM Paint checkpoint, infers its config (see infer_model_config; the
// sidecar's "flags", or its top level, supplies the reference's flags) and checks every key and
// shape against the network built from it. Throws one sdm::Error line naming the file.
LoadedModel load_model(const std::filesystem::path& path, const HeadOptions& heads = {});

// The super-resolution stage a base model's sidecar names ("upscaler", relative to the
// checkpoint's folder), or an empty path. Throws sdm::Error for an invalid sidecar.
std::filesystem::path named_upscaler(const std::filesystem::path& model);

// Writes the weights as a reference-compatible state dict and the sidecar (flags + `extra`, e.g.
// class set and provenance), both atomically.
void save_model(const std::filesystem::path& path, UNetModel& model, const DiffusionConfig& diffusion = {},
                const nlohmann::json& extra = nlohmann::json::object());

}  // namespace sdm
