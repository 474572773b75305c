#pragma once

#include "core/diffusion/diffusion_process.h"

namespace sdm {

// DDIM (Song et al., eq. 12): x_{t−1} = √ᾱ_{t−1}·x0 + √(1−ᾱ_{t−1}−σ²)·ε + σ·z with
// σ = η·√((1−ᾱ_{t−1})/(1−ᾱ_t))·√(1−ᾱ_t/ᾱ_{t−1}); η = 0 is deterministic.
torch::Tensor ddim_step(const DiffusionProcess& process, const torch::Tensor& x, int index, const DenoisingPrediction& prediction,
                        const torch::Tensor& noise, double eta);

}  // namespace sdm
