#include "core/diffusion/step_spec.h"

#include "core/base/error.h"

#include <cctype>
#include <charconv>

namespace sdm {

StepPlan StepPlan::of(Solver solver, int count) {
  return {solver, (solver == Solver::Ddim ? "ddim" : "") + std::to_string(count)};
}

std::string StepPlan::spec() const {
  if (solver == Solver::DpmSolverPlusPlus) return "dpm++" + respacing;
  return respacing;  // DDIM's respacing keeps its "ddim" prefix
}

int StepPlan::count() const {
  const std::string digits = solver == Solver::Ddim ? respacing.substr(4) : respacing;
  int value = 0;
  const auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
  return error == std::errc() && end == digits.data() + digits.size() && value > 0 ? value : 0;
}

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

}  // namespace sdm
