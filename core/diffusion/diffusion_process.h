#pragma once

#include <torch/types.h>
#include <Eigen/Core>

#include <string>
#include <vector>

namespace sdm {

// How the reverse process's variance is obtained: from the network's extra 3 channels
// (interpolating between the posterior's and β's log-variance) or fixed.
enum class VarianceType { LearnedRange, FixedSmall, FixedLarge };

// The un-respaced process, as the reference's flags give it (noise_schedule, diffusion_steps).
struct DiffusionConfig {
  std::string noise_schedule = "linear";
  int diffusion_steps = 1000;
};

// What the network's output at (x_t, t) implies for p(x_{t-1} | x_t).
struct DenoisingPrediction {
  torch::Tensor eps;           // predicted noise (the guided one under classifier-free guidance)
  torch::Tensor pred_x0;       // the denoised image it implies, clipped to [-1, 1] when asked
  torch::Tensor mean;          // posterior mean q(x_{t-1} | x_t, x_0 = pred_x0)
  torch::Tensor log_variance;  // per element (learned) or broadcastable (fixed)
};

// A Gaussian diffusion process, respaced to a subset of the original timesteps (the reference's
// SpacedDiffusion): the kept steps get new βs so their ᾱ equal the original's, and the network is
// fed the original timestep indices. All schedule arrays are double precision; coefficients are
// rounded to float32 where they meet tensors, as the reference does.
class DiffusionProcess {
public:
  DiffusionProcess(const Eigen::ArrayXd& original_betas, const std::vector<int>& kept_steps, VarianceType variance);

  int steps() const { return static_cast<int>(betas_.size()); }
  int original_timestep(int index) const { return timestep_map_[index]; }
  const std::vector<int>& timestep_map() const { return timestep_map_; }

  const Eigen::ArrayXd& betas() const { return betas_; }
  const Eigen::ArrayXd& alphas_cumprod() const { return alphas_cumprod_; }
  const Eigen::ArrayXd& alphas_cumprod_prev() const { return alphas_cumprod_prev_; }
  const Eigen::ArrayXd& posterior_variance() const { return posterior_variance_; }
  const Eigen::ArrayXd& posterior_log_variance_clipped() const { return posterior_log_variance_clipped_; }
  const Eigen::ArrayXd& posterior_mean_coef1() const { return posterior_mean_coef1_; }
  const Eigen::ArrayXd& posterior_mean_coef2() const { return posterior_mean_coef2_; }

  // The network output [N, 3 or 6, H, W] at respaced step `index` → ε, x0, posterior mean, variance.
  DenoisingPrediction predict(const torch::Tensor& model_output, const torch::Tensor& x, int index, bool clip_denoised) const;
  // x0 → x at step `index` (forward noising with `noise`).
  torch::Tensor q_sample(const torch::Tensor& x0, int index, const torch::Tensor& noise) const;
  // x at step index-1 → x at step `index`: one forward step of the respaced chain.
  torch::Tensor renoise_one_step(const torch::Tensor& x_prev, int index, const torch::Tensor& noise) const;
  // Per-sample values of a schedule array at step `indices` ([N] int64), as float32 [N, 1, 1, 1]
  // on the indices' device — for training, where every sample has its own step.
  static torch::Tensor gather(const Eigen::ArrayXd& values, const torch::Tensor& indices);
  const Eigen::ArrayXd& sqrt_recip_alphas_cumprod() const { return sqrt_recip_alphas_cumprod_; }
  const Eigen::ArrayXd& sqrt_recipm1_alphas_cumprod() const { return sqrt_recipm1_alphas_cumprod_; }

  // ε implied by x_t and an x0 estimate.
  torch::Tensor eps_from_x0(const torch::Tensor& x, int index, const torch::Tensor& x0) const;
  // `prediction` with its x0 replaced by `x0`, and its ε and posterior mean made to agree.
  DenoisingPrediction with_x0(DenoisingPrediction prediction, const torch::Tensor& x, int index, const torch::Tensor& x0) const;

  // The process for `config`, respaced by `respacing` (see space_timesteps).
  static DiffusionProcess create(const DiffusionConfig& config, const std::string& respacing, VarianceType variance);

private:
  std::vector<int> timestep_map_;
  VarianceType variance_;
  Eigen::ArrayXd betas_, alphas_cumprod_, alphas_cumprod_prev_, sqrt_recip_alphas_cumprod_,
      sqrt_recipm1_alphas_cumprod_, posterior_variance_, posterior_log_variance_clipped_, posterior_mean_coef1_,
      posterior_mean_coef2_;
};

}  // namespace sdm
