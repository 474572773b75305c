#include "core/generation/generator.h"

#include "core/base/device.h"
#include "core/base/error.h"
#include "core/diffusion/low_res_conditioning.h"
#include "core/io/label_encoding.h"
#include "core/io/sidecar_path.h"
#include "core/io/resource_paths.h"

#include <torch/torch.h>

namespace sdm {

namespace {

// The sidecar's number `key`, `fallback` when it has none; one Error line naming the file when it
// is not a number that `fits`, which `range` says in words ("≥ 0", "in [0, 1]").
template <typename Fits>
double sidecar_number(const LoadedModel& model, const char* key, double fallback, Fits fits, const char* range) {
  const auto& sidecar = model.sidecar;
  if (!sidecar.is_object() || !sidecar.contains(key)) return fallback;
  if (!sidecar[key].is_number() || !fits(sidecar[key].get<double>()))
    throw Error(sidecar_path(model.path).string() + ": \"" + key + "\" must be a number " + range);
  return sidecar[key].get<double>();
}

bool in_unit_interval(double x) { return x >= 0 && x <= 1; }

}  // namespace

std::string Generator::default_steps() const {
  const auto& sidecar = model.sidecar;
  if (sidecar.is_object() && sidecar.contains("default_steps") && sidecar["default_steps"].is_string())
    return sidecar["default_steps"].get<std::string>();
  return "ddim25";
}

double Generator::default_guidance() const {
  return sidecar_number(model, "default_guidance", 1.5, [](double s) { return s >= 0; }, "≥ 0");
}

double Generator::default_eta() const { return sidecar_number(model, "default_eta", 0.0, in_unit_interval, "in [0, 1]"); }

torch::Tensor Generator::condition(const torch::Tensor& channels, int64_t count, const torch::Tensor& instances) const {
  const auto& c = model.config;
  return encode_label_map(channels, c.num_classes, c.instance_edges, instances).expand({count, -1, -1, -1}).contiguous().to(device);
}

SamplingRequest Generator::request(torch::Tensor labels) const {
  SamplingRequest request;
  request.model = model.model;
  request.diffusion = model.diffusion;
  request.labels = std::move(labels);
  request.steps = default_steps();
  request.guidance = default_guidance();
  request.eta = default_eta();
  const auto& sidecar = model.sidecar;
  if (!model.config.super_resolution() || !sidecar.is_object()) return request;
  if (sidecar.contains("low_res_augmentation")) {
    try {
      request.low_res_blur = LowResAugmentation::from_json(sidecar["low_res_augmentation"]).sampling_blur_sigma;
    } catch (const Error& e) {
      throw Error(sidecar_path(model.path).string() + ": " + e.what());
    }
  }
  request.low_res_consistency = sidecar_number(model, "low_res_consistency", 0.0, in_unit_interval, "in [0, 1]");
  request.low_res_start = sidecar_number(model, "low_res_start", 1.0, [](double share) { return share > 0 && share <= 1; }, "in (0, 1]");
  return request;
}

void require_base_model(const Generator& generator) {
  if (generator.model.config.super_resolution())
    throw Error(generator.model.path.string() +
                ": is a super-resolution stage, not a base model (it refines a base model's pictures: chain it as the upscaler, "
                "or run it alone with sdm upscale)");
}

void require_super_resolution(const Generator& generator) {
  if (!generator.model.config.super_resolution())
    throw Error(generator.model.path.string() + ": is a base model, not a super-resolution stage (its first layer takes 3 channels, not 6)");
}

void attach_upscaler(Generator& base, const std::filesystem::path& path, const std::string& device, const std::string& dtype) {
  require_base_model(base);
  const auto& b = base.model.config;
  auto upscaler = std::make_shared<Generator>(load_generator(path, {}, device, dtype));
  const auto& u = upscaler->model.config;
  auto size = [](int h, int w) { return std::to_string(h) + "x" + std::to_string(w); };
  require_super_resolution(*upscaler);
  if (u.num_classes != b.num_classes || u.instance_edges != b.instance_edges || upscaler->model.dataset != base.model.dataset)
    throw Error(path.string() + ": the upscaler's label space (" + upscaler->model.dataset + ", " + std::to_string(u.condition_channels()) +
                " channels) is not the base model's (" + base.model.dataset + ", " + std::to_string(b.condition_channels()) + " channels)");
  if (u.low_res_height != b.image_height || u.low_res_width != b.image_width)
    throw Error(path.string() + ": the upscaler refines " + size(u.low_res_height, u.low_res_width) + " pictures but the base model paints " +
                size(b.image_height, b.image_width));
  base.upscaler = std::move(upscaler);
}

std::string attach_chosen_upscaler(Generator& base, const UpscalerChoice& choice, const std::string& device, const std::string& dtype) {
  require_base_model(base);
  base.upscaler.reset();
  const std::filesystem::path path = choice.kind == UpscalerChoice::Kind::File    ? choice.path
                                     : choice.kind == UpscalerChoice::Kind::Named ? base.model.upscaler
                                                                                  : std::filesystem::path();
  if (path.empty()) return {};
  if (choice.kind == UpscalerChoice::Kind::Named && !std::filesystem::is_regular_file(path)) {
    const auto& c = base.model.config;
    return path.string() + ": the upscaler " + sidecar_path(base.model.path).string() + " names is missing; the pictures stay at the base model's " +
           std::to_string(c.image_width) + "x" + std::to_string(c.image_height);
  }
  attach_upscaler(base, path, device, dtype);
  return {};
}

Generator load_generator(const std::filesystem::path& path, const HeadOptions& heads, const std::string& device,
                         const std::string& dtype) {
  Generator generator{load_model(path, heads)};
  generator.device = select_device(device);
  generator.model.model->to(generator.device);
  const auto type = dtype == "auto" ? automatic_dtype(generator.device, generator.model.parameters, cpu_has_native_bf16())
                                    : select_dtype(dtype, generator.device);
  if (type != torch::kFloat) generator.model.model->convert_torso(type);
  if (generator.device.is_cpu()) generator.model.model->set_memory_format(torch::MemoryFormat::ChannelsLast);
  if (auto classes = class_set_path(generator.model.dataset); !classes.empty()) {
    generator.classes = ClassSet::load(classes);
    if (generator.classes->num_classes != generator.model.config.num_classes) generator.classes.reset();
  }
  return generator;
}

}  // namespace sdm
