#pragma once

#include <Eigen/Core>

#include <string>

namespace sdm {

// The reference's named β schedules over `steps` diffusion steps, in double precision:
// "linear" (Ho et al., scaled to the step count) and "cosine" (Nichol & Dhariwal, β ≤ 0.999).
Eigen::ArrayXd named_beta_schedule(const std::string& name, int steps);

}  // namespace sdm
