#include "core/sampler.h"

#include "core/ddim_sampler.h"
#include "core/ddpm_sampler.h"
#include "core/error.h"

namespace sdm {

StepPlan parse_step_spec(const std::string& spec) {
  if (spec.rfind("ddim", 0) == 0) return {StepPlan::Solver::Ddim, spec};
  if (!spec.empty() && !std::isdigit(static_cast<unsigned char>(spec[0])))
    throw Error("steps '" + spec + "': expected a count (\"50\"), sections (\"10,10,30\") or \"ddimN\"");
  return {StepPlan::Solver::Ddpm, spec};
}

std::unique_ptr<Sampler> make_sampler(StepPlan::Solver solver, double eta) {
  switch (solver) {
    case StepPlan::Solver::Ddim: return std::make_unique<DdimSampler>(eta);
    case StepPlan::Solver::Ddpm: break;
  }
  return std::make_unique<DdpmSampler>();
}

}  // namespace sdm
