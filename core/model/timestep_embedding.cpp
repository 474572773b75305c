#include "core/model/timestep_embedding.h"

#include <torch/torch.h>

#include <cmath>

namespace sdm {

torch::Tensor timestep_embedding(const torch::Tensor& timesteps, int64_t dim, double max_period) {
  const int64_t half = dim / 2;
  auto float_options = torch::TensorOptions().dtype(torch::kFloat).device(timesteps.device());
  auto freqs = torch::exp(-std::log(max_period) * torch::arange(0, half, float_options) / half);
  auto args = timesteps.to(torch::kFloat).unsqueeze(1) * freqs.unsqueeze(0);
  auto embedding = torch::cat({torch::cos(args), torch::sin(args)}, -1);
  if (dim % 2) embedding = torch::cat({embedding, torch::zeros_like(embedding.narrow(1, 0, 1))}, -1);
  return embedding;
}

}  // namespace sdm
