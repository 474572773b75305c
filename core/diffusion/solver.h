#pragma once

#include "core/diffusion/diffusion_process.h"
#include "core/diffusion/dpm_solver_pp_step.h"
#include "core/diffusion/step_spec.h"

#include <string>

namespace sdm {

// The solvers named in step_spec.h. Each is a function (ddpm_step.h, ddim_step.h,
// dpm_solver_pp_step.h) over the process and the network's prediction that moves x from respaced
// step `index` to `index − 1` (to the image at index 0); whatever a solver carries between steps
// is passed in explicitly, so the sampling loop sees and resets it.

// One step of `solver`. `noise`: a fresh N(0, 1) draw shaped like x, handed to every solver each
// step, used or not, so that all of them consume random numbers in the reference's order.
// `eta`: DDIM's stochasticity (0 = deterministic); the others ignore it. `history`: what a
// multistep solver carries between steps (only DPM-Solver++ reads or writes it).
torch::Tensor solver_step(Solver solver, const DiffusionProcess& process, const torch::Tensor& x, int index,
                          const DenoisingPrediction& prediction, const torch::Tensor& noise, double eta, MultistepHistory& history);

}  // namespace sdm
