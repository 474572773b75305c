#include "core/diffusion/solver.h"

#include "core/base/error.h"
#include "core/diffusion/ddim_step.h"
#include "core/diffusion/ddpm_step.h"

#include <cctype>

namespace sdm {

StepPlan parse_step_spec(const std::string& spec) {
  if (spec.rfind("ddim", 0) == 0) return {Solver::Ddim, spec};
  if (spec.rfind("dpm++", 0) == 0) {
    const std::string count = spec.substr(5);
    if (count.empty() || count.find_first_not_of("0123456789") != std::string::npos)
      throw Error("steps '" + spec + "': dpm++ takes one step count, e.g. dpm++20");
    return {Solver::DpmSolverPlusPlus, count};
  }
  if (!spec.empty() && !std::isdigit(static_cast<unsigned char>(spec[0])))
    throw Error("steps '" + spec + "': expected a count (\"50\"), sections (\"10,10,30\"), \"ddimN\" or \"dpm++N\"");
  return {Solver::Ddpm, spec};
}

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
