#pragma once

#include "core/checkpoint/checkpoint_file.h"
#include "core/checkpoint/head_options.h"
#include "core/model/model_config.h"

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <vector>

namespace sdm {

struct InferredConfig {
  ModelConfig config;
  // What could not be read off the weights and was assumed, one sentence each.
  std::vector<std::string> assumptions;
};

// Reads the U-Net's config off a state dict's key names and tensor shapes. What weights cannot
// show comes from, in order: `heads` (command-line options), `flags` (the reference's flags by
// name, from a sidecar JSON; may be empty), then the released checkpoints' values. Throws
// sdm::Error when the state dict is not an SDM U-Net or contradicts the flags.
InferredConfig infer_model_config(const StateDict& state, const nlohmann::json& flags, const HeadOptions& heads);

}  // namespace sdm
