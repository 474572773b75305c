#pragma once

#include <string>

namespace sdm {

// The reverse-diffusion solvers; solver.h runs them.
enum class Solver { Ddpm, Ddim, DpmSolverPlusPlus };

// A sampler and its steps, as a step spec names them: "ddim25" → DDIM over the "ddim25" steps;
// "dpm++20" → DPM-Solver++(2M) over 20 evenly spread steps; "250", "10,10,30" → ancestral DDPM
// over those steps; "" → DDPM over all. No LibTorch here: the app's settings read specs too.
struct StepPlan {
  Solver solver = Solver::Ddim;
  std::string respacing;  // what space_timesteps takes

  // The plan of `count` steps of `solver`, evenly spread (DDIM: its fixed integer stride).
  static StepPlan of(Solver solver, int count);
  // The spec that names this plan.
  std::string spec() const;
  // The steps of a plan given as one count ("ddim25", "dpm++20", "50": 25, 20, 50); 0 for
  // sections ("10,10,30"), all steps ("") or a count that is not a number.
  int count() const;
};

// Throws sdm::Error naming a spec that is none of the forms above. Whether the schedule can take
// that many steps is space_timesteps' to say.
StepPlan parse_step_spec(const std::string& spec);

}  // namespace sdm
