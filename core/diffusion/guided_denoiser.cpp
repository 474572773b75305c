#include "core/diffusion/guided_denoiser.h"

#include <torch/torch.h>

namespace sdm {

GuidedDenoiser::GuidedDenoiser(UNetModel model, const torch::Tensor& labels, double guidance, bool cache_modulation,
                               const torch::Tensor& low_res)
    : model_(std::move(model)),
      guidance_(guidance),
      batch_(labels.size(0)),
      labels_(labels, cache_modulation, guidance != 1.0 ? labels.size(0) : 0),
      low_res_(low_res.defined() && guidance != 1.0 ? torch::cat({low_res, low_res}) : low_res) {}

torch::Tensor GuidedDenoiser::operator()(const torch::Tensor& x, int64_t timestep) {
  const bool guided = guidance_ != 1.0;
  const auto input = guided ? torch::cat({x, x}) : x;
  const auto timesteps = torch::full({input.size(0)}, timestep, torch::TensorOptions().dtype(torch::kLong).device(x.device()));
  auto output = model_->forward(input, timesteps, labels_, low_res_);
  if (!guided) return output;
  const auto cond = output.narrow(0, 0, batch_), uncond = output.narrow(0, batch_, batch_);
  const auto eps_cond = cond.narrow(1, 0, 3), eps_uncond = uncond.narrow(1, 0, 3);
  auto eps = eps_uncond + guidance_ * (eps_cond - eps_uncond);
  return cond.size(1) > 3 ? torch::cat({eps, cond.narrow(1, 3, cond.size(1) - 3)}, 1) : eps;
}

}  // namespace sdm
