#include "core/generation/generator.h"

#include "core/base/device.h"
#include "core/io/label_encoding.h"
#include "core/io/resource_paths.h"

#include <torch/torch.h>

namespace sdm {

std::string Generator::default_steps() const {
  const auto& sidecar = model.sidecar;
  if (sidecar.is_object() && sidecar.contains("default_steps") && sidecar["default_steps"].is_string())
    return sidecar["default_steps"].get<std::string>();
  return "ddim25";
}

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
  return request;
}

Generator load_generator(const std::filesystem::path& path, const HeadOptions& heads, const std::string& device,
                         const std::string& dtype) {
  Generator generator{load_model(path, heads)};
  generator.device = select_device(device);
  generator.model.model->to(generator.device);
  if (const auto type = select_dtype(dtype, generator.device); type != torch::kFloat) generator.model.model->convert_torso(type);
  if (auto classes = class_set_path(generator.model.dataset); !classes.empty()) {
    generator.classes = ClassSet::load(classes);
    if (generator.classes->num_classes != generator.model.config.num_classes) generator.classes.reset();
  }
  return generator;
}

}  // namespace sdm
