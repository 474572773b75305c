#include "core/diffusion/diffusion_process.h"

#include "core/base/error.h"
#include "core/diffusion/beta_schedule.h"
#include "core/diffusion/respacing.h"

#include <torch/torch.h>

namespace sdm {

namespace {
// A schedule value as the reference applies it: float32.
double f32(double value) { return static_cast<float>(value); }
}  // namespace

DiffusionProcess::DiffusionProcess(const Eigen::ArrayXd& original_betas, const std::vector<int>& kept_steps,
                                   VarianceType variance)
    : timestep_map_(kept_steps), variance_(variance) {
  if (kept_steps.empty()) throw Error("a diffusion process needs at least one step");
  // Respacing: β'_k = 1 − ᾱ(t_k)/ᾱ(t_{k−1}), so the kept steps see the original noise levels.
  Eigen::ArrayXd original_alphas_cumprod(original_betas.size());
  double product = 1.0;
  for (Eigen::Index i = 0; i < original_betas.size(); ++i) original_alphas_cumprod[i] = product *= 1.0 - original_betas[i];
  betas_.resize(static_cast<Eigen::Index>(kept_steps.size()));
  double last = 1.0;
  for (size_t k = 0; k < kept_steps.size(); ++k) {
    if (kept_steps[k] < 0 || kept_steps[k] >= original_betas.size() || (k && kept_steps[k] <= kept_steps[k - 1]))
      throw Error("respaced timesteps must be ascending indices of the original process");
    const double alpha_cumprod = original_alphas_cumprod[kept_steps[k]];
    betas_[static_cast<Eigen::Index>(k)] = 1.0 - alpha_cumprod / last;
    last = alpha_cumprod;
  }

  const auto n = betas_.size();
  const Eigen::ArrayXd alphas = 1.0 - betas_;
  alphas_cumprod_.resize(n);
  product = 1.0;
  for (Eigen::Index i = 0; i < n; ++i) alphas_cumprod_[i] = product *= alphas[i];
  alphas_cumprod_prev_.resize(n);
  alphas_cumprod_prev_[0] = 1.0;
  alphas_cumprod_prev_.tail(n - 1) = alphas_cumprod_.head(n - 1);
  sqrt_recip_alphas_cumprod_ = (1.0 / alphas_cumprod_).sqrt();
  sqrt_recipm1_alphas_cumprod_ = (1.0 / alphas_cumprod_ - 1.0).sqrt();
  posterior_variance_ = betas_ * (1.0 - alphas_cumprod_prev_) / (1.0 - alphas_cumprod_);
  // The posterior variance is 0 at the first step; its log is clipped to the next value.
  posterior_log_variance_clipped_.resize(n);
  posterior_log_variance_clipped_[0] = std::log(n > 1 ? posterior_variance_[1] : betas_[0]);
  posterior_log_variance_clipped_.tail(n - 1) = posterior_variance_.tail(n - 1).log();
  posterior_mean_coef1_ = betas_ * alphas_cumprod_prev_.sqrt() / (1.0 - alphas_cumprod_);
  posterior_mean_coef2_ = (1.0 - alphas_cumprod_prev_) * alphas.sqrt() / (1.0 - alphas_cumprod_);
}

DiffusionProcess DiffusionProcess::create(const DiffusionConfig& config, const std::string& respacing, VarianceType variance) {
  return DiffusionProcess(named_beta_schedule(config.noise_schedule, config.diffusion_steps),
                          space_timesteps(config.diffusion_steps, respacing), variance);
}

torch::Tensor DiffusionProcess::gather(const Eigen::ArrayXd& values, const torch::Tensor& indices) {
  const auto table = torch::from_blob(const_cast<double*>(values.data()), {values.size()}, torch::kDouble);
  return table.index_select(0, indices.cpu()).to(torch::kFloat).view({-1, 1, 1, 1}).to(indices.device());
}

torch::Tensor DiffusionProcess::eps_from_x0(const torch::Tensor& x, int index, const torch::Tensor& x0) const {
  return (f32(sqrt_recip_alphas_cumprod_[index]) * x - x0) / f32(sqrt_recipm1_alphas_cumprod_[index]);
}

DenoisingPrediction DiffusionProcess::predict(const torch::Tensor& model_output, const torch::Tensor& x, int index,
                                              bool clip_denoised) const {
  DenoisingPrediction p;
  const bool learned = model_output.size(1) == 2 * x.size(1);
  p.eps = learned ? model_output.narrow(1, 0, x.size(1)) : model_output;
  switch (variance_) {
    case VarianceType::LearnedRange: {
      if (!learned) throw Error("the process expects a learned-variance model (6 output channels)");
      const auto frac = (model_output.narrow(1, x.size(1), x.size(1)) + 1) / 2;
      const double min_log = f32(posterior_log_variance_clipped_[index]), max_log = f32(std::log(betas_[index]));
      p.log_variance = frac * max_log + (1 - frac) * min_log;
      break;
    }
    case VarianceType::FixedSmall:
      p.log_variance = torch::full({1, 1, 1, 1}, f32(posterior_log_variance_clipped_[index]), x.options());
      break;
    case VarianceType::FixedLarge: {
      // The first step uses the posterior's variance, for a better decoder likelihood.
      const double variance = index == 0 ? (steps() > 1 ? posterior_variance_[1] : betas_[0]) : betas_[index];
      p.log_variance = torch::full({1, 1, 1, 1}, f32(std::log(variance)), x.options());
      break;
    }
  }
  p.pred_x0 = f32(sqrt_recip_alphas_cumprod_[index]) * x - f32(sqrt_recipm1_alphas_cumprod_[index]) * p.eps;
  if (clip_denoised) p.pred_x0 = p.pred_x0.clamp(-1, 1);
  p.mean = f32(posterior_mean_coef1_[index]) * p.pred_x0 + f32(posterior_mean_coef2_[index]) * x;
  return p;
}

DenoisingPrediction DiffusionProcess::with_x0(DenoisingPrediction p, const torch::Tensor& x, int index, const torch::Tensor& x0) const {
  p.pred_x0 = x0;
  p.eps = eps_from_x0(x, index, x0);
  p.mean = f32(posterior_mean_coef1_[index]) * x0 + f32(posterior_mean_coef2_[index]) * x;
  return p;
}

torch::Tensor DiffusionProcess::q_sample(const torch::Tensor& x0, int index, const torch::Tensor& noise) const {
  return f32(std::sqrt(alphas_cumprod_[index])) * x0 + f32(std::sqrt(1.0 - alphas_cumprod_[index])) * noise;
}

torch::Tensor DiffusionProcess::renoise_one_step(const torch::Tensor& x_prev, int index, const torch::Tensor& noise) const {
  return f32(std::sqrt(1.0 - betas_[index])) * x_prev + f32(std::sqrt(betas_[index])) * noise;
}

}  // namespace sdm
