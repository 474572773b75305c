#pragma once

#include "core/diffusion/sampler.h"

#include <optional>

namespace sdm {

// DPM-Solver++(2M) (Lu et al. 2022, multistep, data prediction): a second-order solver of the
// probability-flow ODE that reuses the previous step's x0 prediction, so it costs one network
// evaluation per step. Good images in 10–20 steps. The first step, and the last one into the clean
// image, are first order (equal to DDIM η = 0). Deterministic: it ignores the noise it is handed.
class DpmSolverPlusPlusSampler : public Sampler {
public:
  torch::Tensor step(const DiffusionProcess& process, const torch::Tensor& x, int index,
                     const DenoisingPrediction& prediction, const torch::Tensor& noise) override;

private:
  struct History {
    torch::Tensor x0;  // the previous step's x0 prediction
    double h;          // the previous step's log-SNR increment
  };
  std::optional<History> previous_;
};

}  // namespace sdm
