#pragma once

#include "core/checkpoint/model_file.h"
#include "core/diffusion/sampling_request.h"
#include "core/generation/upscaler_choice.h"
#include "core/io/class_set.h"

#include <memory>
#include <optional>
#include <string>

namespace sdm {

// A model ready to sample with — on its device, in its dtype — and the class set its label maps
// are painted in: what a GenerationContext runs (generation_context.h).
struct Generator {
  LoadedModel model;
  std::optional<ClassSet> classes;  // none when its dataset has no class set here, or one of another size
  torch::Device device{torch::kCPU};
  // The super-resolution stage chained after this base model, or null: its picture size is the
  // cascade's (see attach_upscaler).
  std::shared_ptr<const Generator> upscaler;

  const ClassSet* class_set() const { return classes ? &*classes : nullptr; }
  // The sampler and steps the model's sidecar recommends ("default_steps"), else ddim25.
  std::string default_steps() const;
  // The guidance scale its sidecar recommends ("default_guidance"), else 1.5. A detail stage
  // after a base that already follows the map may need none (1: one forward per step).
  double default_guidance() const;
  // The DDIM η its sidecar recommends ("default_eta"), else 0. A detail stage that starts late
  // (low_res_start) may need fresh noise in its steps to draw texture rather than smooth it.
  double default_eta() const;
  // A label map's channels ([H, W] int64 at the model's size) as the network's input, one copy
  // per variation: [count, C, H, W] on the device.
  torch::Tensor condition(const torch::Tensor& channels, int64_t count, const torch::Tensor& instances = {}) const;
  // A request to sample `labels` (see condition) with this model at its recommended steps,
  // guidance and η; the caller sets the rest (seed, known region, callbacks) and runs it with
  // `sample`. A super-resolution stage's request blurs its low-res input, keeps its low
  // frequencies and starts where its sidecar says (low_res_augmentation.sampling_blur_sigma,
  // low_res_consistency, low_res_start; none without them, as the reference samples); the caller
  // sets low_res.
  SamplingRequest request(torch::Tensor labels) const;
};

// Loads a checkpoint (see load_model) onto `device` ("auto", "cpu", "cuda[:N]") with its torso in
// `dtype` ("fp32", "bf16", "fp16", or "auto": see automatic_dtype). Throws sdm::Error.
Generator load_generator(const std::filesystem::path& path, const HeadOptions& heads, const std::string& device,
                         const std::string& dtype);

// Throws one sdm::Error line naming the file when `generator` is a super-resolution stage.
void require_base_model(const Generator& generator);
// The same when it is a base model, not a super-resolution stage.
void require_super_resolution(const Generator& generator);

// Chains the super-resolution stage in `upscaler` after the base model `base` (same device and
// dtype). Throws one sdm::Error line naming the file when `base` is not a base model, the upscaler
// not a super-resolution stage, their label spaces differ or the upscaler refines pictures of
// another size than the base paints.
void attach_upscaler(Generator& base, const std::filesystem::path& upscaler, const std::string& device, const std::string& dtype);

// Replaces `base`'s upscaler by the one `choice` names (see attach_upscaler). A missing upscaler
// that the sidecar names is not an error, the base model's pictures being whole without it: the
// returned note says why there is none; else it is empty.
std::string attach_chosen_upscaler(Generator& base, const UpscalerChoice& choice, const std::string& device, const std::string& dtype);

}  // namespace sdm
