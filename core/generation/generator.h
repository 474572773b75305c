#pragma once

#include "core/checkpoint/model_file.h"
#include "core/diffusion/sampling_request.h"
#include "core/io/class_set.h"

#include <optional>
#include <string>

namespace sdm {

// A model ready to sample with — on its device, in its dtype — and the class set its label maps
// are painted in. What `sdm generate`, `sdm edit`, `sdm bench` and the app's worker share.
struct Generator {
  LoadedModel model;
  std::optional<ClassSet> classes;  // none when its dataset has no class set here, or one of another size
  torch::Device device{torch::kCPU};

  const ClassSet* class_set() const { return classes ? &*classes : nullptr; }
  // The sampler and steps the model's sidecar recommends ("default_steps"), else ddim25.
  std::string default_steps() const;
  // A label map's channels ([H, W] int64 at the model's size) as the network's input, one copy
  // per variation: [count, C, H, W] on the device.
  torch::Tensor condition(const torch::Tensor& channels, int64_t count, const torch::Tensor& instances = {}) const;
  // A request to sample `labels` (see condition) with this model at its recommended steps; the
  // caller sets the rest (guidance, seed, known region, callbacks) and runs it with `sample`.
  SamplingRequest request(torch::Tensor labels) const;
};

// Loads a checkpoint (see load_model) onto `device` ("auto", "cpu", "cuda[:N]") with its torso in
// `dtype` ("fp32", "bf16", "fp16"). Throws sdm::Error.
Generator load_generator(const std::filesystem::path& path, const HeadOptions& heads, const std::string& device,
                         const std::string& dtype);

}  // namespace sdm
