#pragma once

#include "core/diffusion/diffusion_process.h"

namespace sdm {

// Ancestral sampling (Ho et al.): x_{t−1} = μ + σ·z, no noise on the last step (index 0).
torch::Tensor ddpm_step(int index, const DenoisingPrediction& prediction, const torch::Tensor& noise);

}  // namespace sdm
