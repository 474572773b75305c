#include "core/diffusion/dpm_solver_pp_step.h"

#include <torch/torch.h>

#include <cmath>

namespace sdm {

torch::Tensor dpm_solver_pp_step(const DiffusionProcess& process, const torch::Tensor& x, int index,
                                 const DenoisingPrediction& prediction, MultistepHistory& history) {
  const double alpha_bar = process.alphas_cumprod()[index], alpha_bar_next = process.alphas_cumprod_prev()[index];
  const auto& x0 = prediction.pred_x0;
  if (index == 0) return x0;  // into the clean image: σ = 0, the update is the data prediction itself

  // α_t = √ᾱ, σ_t = √(1−ᾱ), λ = log(α/σ); stepping from t to the next (less noisy) level s.
  const double alpha_s = std::sqrt(alpha_bar_next), sigma_t = std::sqrt(1 - alpha_bar), sigma_s = std::sqrt(1 - alpha_bar_next);
  const double lambda_t = 0.5 * std::log(alpha_bar / (1 - alpha_bar));
  const double lambda_s = 0.5 * std::log(alpha_bar_next / (1 - alpha_bar_next));
  const double h = lambda_s - lambda_t;

  torch::Tensor data = x0;
  if (history.previous_x0.defined()) {
    // Second order: extrapolate the data prediction linearly in λ from the last two.
    const double r = history.previous_h / h;
    data = (1 + 1 / (2 * r)) * x0 - (1 / (2 * r)) * history.previous_x0;
  }
  history = {x0, h};
  return (sigma_s / sigma_t) * x - alpha_s * std::expm1(-h) * data;
}

}  // namespace sdm
