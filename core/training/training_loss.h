#pragma once

#include "core/diffusion/diffusion_process.h"
#include "core/model/unet_model.h"

namespace sdm {

// Per-sample terms of the reference's training objective, each [N].
struct TrainingLoss {
  torch::Tensor loss;  // mse + vb_weight · vb
  torch::Tensor mse;   // L_simple: mean squared error of the predicted noise
  torch::Tensor vb;    // L_vlb in bits: KL(q(x_{t−1}|x_t,x_0) ‖ p(x_{t−1}|x_t)), the decoder NLL at t = 0
};

// The reference's L_simple + λ·L_vlb (guided_diffusion training_losses, MSE loss type): x_t is
// x0 noised to step t with `noise`; the learned variance is trained by the VLB with the
// predicted mean frozen (stop-gradient), so it cannot disturb the ε prediction. `process` is the
// full, un-respaced process. Models without learned σ get the MSE alone. A super-resolution
// stage also gets its low-res pictures.
// [n] training timesteps drawn uniformly from the first `share` of the process's `steps` (at
// least its first one): with share 1 the reference's uniform sampler. A super-resolution stage
// that samples only the trajectory's end (low_res_start) trains where it samples.
torch::Tensor training_timesteps(int64_t n, int steps, double share, at::Generator& generator);

TrainingLoss training_loss(UNetModel& model, const DiffusionProcess& process, const torch::Tensor& x0,
                           const torch::Tensor& labels, const torch::Tensor& t, const torch::Tensor& noise,
                           double vb_weight = 1.0, const torch::Tensor& low_res = {});

}  // namespace sdm
