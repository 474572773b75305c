#include "core/diffusion/noise_source.h"

#include <ATen/CPUGeneratorImpl.h>
#include <torch/torch.h>

namespace sdm {

NoiseSource::NoiseSource(int64_t first_seed, int64_t count, torch::Device device) : device_(device) {
  for (int64_t i = 0; i < count; ++i)
    generators_.push_back(at::make_generator<at::CPUGeneratorImpl>(static_cast<uint64_t>(first_seed + i)));
}

torch::Tensor NoiseSource::draw(at::IntArrayRef shape) {
  std::vector<torch::Tensor> draws;
  draws.reserve(generators_.size());
  for (auto& generator : generators_) draws.push_back(at::randn(shape, generator, torch::kFloat));
  return torch::stack(draws).to(device_);
}

}  // namespace sdm
