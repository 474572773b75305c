#pragma once

#include "core/diffusion/sampler.h"

namespace sdm {

// Ancestral sampling (Ho et al.): x_{t−1} = μ + σ·z, no noise on the last step.
class DdpmSampler : public Sampler {
public:
  torch::Tensor step(const DiffusionProcess& process, const torch::Tensor& x, int index,
                     const DenoisingPrediction& prediction, const torch::Tensor& noise) override;
};

}  // namespace sdm
