#include "core/diffusion/beta_schedule.h"

#include "core/base/error.h"

#include <algorithm>
#include <cmath>
#include <numbers>

namespace sdm {

Eigen::ArrayXd named_beta_schedule(const std::string& name, int steps) {
  if (steps <= 0) throw Error("diffusion steps must be positive");
  if (name == "linear") {
    const double scale = 1000.0 / steps;
    return Eigen::ArrayXd::LinSpaced(steps, scale * 0.0001, scale * 0.02);
  }
  if (name == "cosine") {
    auto alpha_bar = [](double t) { return std::pow(std::cos((t + 0.008) / 1.008 * std::numbers::pi / 2), 2); };
    Eigen::ArrayXd betas(steps);
    for (int i = 0; i < steps; ++i)
      betas[i] = std::min(1.0 - alpha_bar((i + 1.0) / steps) / alpha_bar(static_cast<double>(i) / steps), 0.999);
    return betas;
  }
  throw Error("unknown noise schedule '" + name + "' (linear or cosine)");
}

}  // namespace sdm
