#include "core/diffusion/solver.h"

#include "core/base/error.h"
#include "core/diffusion/ddim_step.h"
#include "core/diffusion/ddpm_step.h"

namespace sdm {

torch::Tensor solver_step(Solver solver, const DiffusionProcess& process, const torch::Tensor& x, int index,
                          const DenoisingPrediction& prediction, const torch::Tensor& noise, double eta, MultistepHistory& history) {
  switch (solver) {
    case Solver::Ddim: return ddim_step(process, x, index, prediction, noise, eta);
    case Solver::DpmSolverPlusPlus: return dpm_solver_pp_step(process, x, index, prediction, history);
    case Solver::Ddpm: break;
  }
  return ddpm_step(index, prediction, noise);
}

}  // namespace sdm
