#include "core/diffusion/ddpm_step.h"

#include <torch/torch.h>

namespace sdm {

torch::Tensor ddpm_step(int index, const DenoisingPrediction& prediction, const torch::Tensor& noise) {
  if (index == 0) return prediction.mean;
  return prediction.mean + torch::exp(0.5 * prediction.log_variance) * noise;
}

}  // namespace sdm
