#pragma once

#include "core/model/model_config.h"

#include <nlohmann/json.hpp>

#include <optional>
#include <vector>

namespace sdm {

// The reference's command-line flags by name (a sidecar's "flags", or the reference's own JSON),
// read leniently: numbers may be strings, booleans may be "True", lists "32,16,8" or arrays.
class ReferenceFlags {
public:
  explicit ReferenceFlags(nlohmann::json flags = nlohmann::json::object());

  bool has(const char* name) const { return flags_.contains(name); }
  std::optional<int> integer(const char* name) const;
  std::optional<double> real(const char* name) const;
  std::optional<bool> boolean(const char* name) const;
  // Empty strings (the reference's "use the default") read as absent.
  std::optional<std::vector<int>> int_list(const char* name) const;
  std::optional<std::string> text(const char* name) const;
  // {height, width}: image_size (a super-resolution stage's large_size), widened by image_width or
  // the reference's Cityscapes mode (2:1).
  std::optional<std::pair<int, int>> image_size() const;
  // A super-resolution stage's low-res {height, width}: small_size, of the image's aspect unless
  // small_width says otherwise.
  std::optional<std::pair<int, int>> low_res_size() const;

  // A whole config from flags, with the reference's defaults (model_and_diffusion_defaults) for
  // what is missing, and its channel_mult table when channel_mult is "".
  ModelConfig to_model_config() const;

private:
  nlohmann::json flags_;
};

}  // namespace sdm
