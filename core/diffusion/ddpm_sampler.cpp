#include "core/diffusion/ddpm_sampler.h"

#include <torch/torch.h>

namespace sdm {

torch::Tensor DdpmSampler::step(const DiffusionProcess&, const torch::Tensor&, int index,
                                const DenoisingPrediction& prediction, const torch::Tensor& noise) {
  if (index == 0) return prediction.mean;
  return prediction.mean + torch::exp(0.5 * prediction.log_variance) * noise;
}

}  // namespace sdm
