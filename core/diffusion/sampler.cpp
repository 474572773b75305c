#include "core/diffusion/sampler.h"

#include "core/base/error.h"
#include "core/diffusion/ddim_sampler.h"
#include "core/diffusion/ddpm_sampler.h"
#include "core/diffusion/dpm_solver_pp_sampler.h"

namespace sdm {

StepPlan parse_step_spec(const std::string& spec) {
  if (spec.rfind("ddim", 0) == 0) return {StepPlan::Solver::Ddim, spec};
  if (spec.rfind("dpm++", 0) == 0) {
    const std::string count = spec.substr(5);
    if (count.empty() || count.find_first_not_of("0123456789") != std::string::npos)
      throw Error("steps '" + spec + "': dpm++ takes one step count, e.g. dpm++20");
    return {StepPlan::Solver::DpmSolverPlusPlus, count};
  }
  if (!spec.empty() && !std::isdigit(static_cast<unsigned char>(spec[0])))
    throw Error("steps '" + spec + "': expected a count (\"50\"), sections (\"10,10,30\"), \"ddimN\" or \"dpm++N\"");
  return {StepPlan::Solver::Ddpm, spec};
}

std::unique_ptr<Sampler> make_sampler(StepPlan::Solver solver, double eta) {
  switch (solver) {
    case StepPlan::Solver::Ddim: return std::make_unique<DdimSampler>(eta);
    case StepPlan::Solver::DpmSolverPlusPlus: return std::make_unique<DpmSolverPlusPlusSampler>();
    case StepPlan::Solver::Ddpm: break;
  }
  return std::make_unique<DdpmSampler>();
}

}  // namespace sdm
