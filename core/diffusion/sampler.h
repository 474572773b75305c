#pragma once

#include "core/diffusion/diffusion_process.h"

#include <memory>
#include <string>

namespace sdm {

// One reverse-diffusion solver: moves x from respaced step `index` to `index − 1` (to the image at
// index 0) given the network's prediction there. A new solver is one class behind this interface.
class Sampler {
public:
  virtual ~Sampler() = default;
  // `noise`: a fresh N(0, 1) draw shaped like x. Every solver is handed one per step, used or not,
  // so all of them consume random numbers in the reference's order.
  virtual torch::Tensor step(const DiffusionProcess& process, const torch::Tensor& x, int index,
                             const DenoisingPrediction& prediction, const torch::Tensor& noise) = 0;
};

// How a SPEC names the solver and its respacing: "ddim25" → DDIM over the "ddim25" steps;
// "dpm++20" → DPM-Solver++(2M) over 20 evenly spread steps; "250", "10,10,30" → ancestral DDPM
// over those steps; "" → DDPM over all.
struct StepPlan {
  enum class Solver { Ddpm, Ddim, DpmSolverPlusPlus } solver;
  std::string respacing;
};
StepPlan parse_step_spec(const std::string& spec);

// `eta` is DDIM's stochasticity (0 = deterministic); DDPM ignores it.
std::unique_ptr<Sampler> make_sampler(StepPlan::Solver solver, double eta);

}  // namespace sdm
