#pragma once

#include "core/diffusion/diffusion_process.h"

namespace sdm {

// What DPM-Solver++(2M) carries from one step to the next. Empty at the start of a chain; the
// sampling loop empties it again after a RePaint jump, where the chain starts afresh.
struct MultistepHistory {
  torch::Tensor previous_x0;  // the previous step's x0 prediction; undefined: none yet
  double previous_h = 0;      // the previous step's log-SNR increment
};

// DPM-Solver++(2M) (Lu et al. 2022, multistep, data prediction): a second-order solver of the
// probability-flow ODE that reuses the previous step's x0 prediction, so it costs one network
// evaluation per step. Good images in 10–20 steps. The first step (empty history), and the last
// one into the clean image, are first order (equal to DDIM η = 0). Deterministic.
// Reads and updates `history`.
torch::Tensor dpm_solver_pp_step(const DiffusionProcess& process, const torch::Tensor& x, int index,
                                 const DenoisingPrediction& prediction, MultistepHistory& history);

}  // namespace sdm
