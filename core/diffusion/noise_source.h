#pragma once

#include <ATen/core/Generator.h>
#include <torch/types.h>

#include <cstdint>
#include <vector>

namespace sdm {

// Gaussian draws for a batch of variations, variation i from its own CPU generator seeded
// seed + i: any variation re-renders alone exactly as in a batch, and on CPU and GPU alike
// (draws are made on the CPU, then moved). A generator seeded s draws what Python's
// torch.manual_seed(s) + torch.randn do.
class NoiseSource {
public:
  NoiseSource(int64_t first_seed, int64_t count, torch::Device device);
  // [count, shape...] with one draw of `shape` per variation.
  torch::Tensor draw(at::IntArrayRef shape);

private:
  std::vector<at::Generator> generators_;
  torch::Device device_;
};

}  // namespace sdm
