#include "core/diffusion/ddim_step.h"

#include <torch/torch.h>

#include <cmath>

namespace sdm {

torch::Tensor ddim_step(const DiffusionProcess& process, const torch::Tensor& x, int index, const DenoisingPrediction& prediction,
                        const torch::Tensor& noise, double eta) {
  // The reference computes these in float32 from float32 schedule values.
  const float alpha_bar = static_cast<float>(process.alphas_cumprod()[index]);
  const float alpha_bar_prev = static_cast<float>(process.alphas_cumprod_prev()[index]);
  const float sigma = static_cast<float>(eta) * std::sqrt((1 - alpha_bar_prev) / (1 - alpha_bar)) *
                      std::sqrt(1 - alpha_bar / alpha_bar_prev);
  // ε is re-derived from the (clipped) x0, as in the reference.
  const auto eps = process.eps_from_x0(x, index, prediction.pred_x0);
  auto next = prediction.pred_x0 * std::sqrt(alpha_bar_prev) + std::sqrt(1 - alpha_bar_prev - sigma * sigma) * eps;
  if (index == 0 || sigma == 0) return next;
  return next + sigma * noise;
}

}  // namespace sdm
