#include "core/training/training_loss.h"

#include <torch/torch.h>

#include <algorithm>
#include <cmath>

namespace sdm {

namespace {

torch::Tensor mean_flat(const torch::Tensor& x) { return x.flatten(1).mean(1); }

torch::Tensor normal_kl(const torch::Tensor& mean1, const torch::Tensor& logvar1, const torch::Tensor& mean2,
                        const torch::Tensor& logvar2) {
  return 0.5 * (-1.0 + logvar2 - logvar1 + torch::exp(logvar1 - logvar2) + (mean1 - mean2).pow(2) * torch::exp(-logvar2));
}

// The tanh approximation of Φ the reference uses.
torch::Tensor approx_standard_normal_cdf(const torch::Tensor& x) {
  return 0.5 * (1.0 + torch::tanh(std::sqrt(2.0 / M_PI) * (x + 0.044715 * x.pow(3))));
}

// log-likelihood of 8-bit images (in [-1, 1]) under a Gaussian discretised to their 256 bins.
torch::Tensor discretized_gaussian_log_likelihood(const torch::Tensor& x, const torch::Tensor& means,
                                                  const torch::Tensor& log_scales) {
  const auto centered = x - means;
  const auto inv_stdv = torch::exp(-log_scales);
  const auto cdf_plus = approx_standard_normal_cdf(inv_stdv * (centered + 1.0 / 255.0));
  const auto cdf_min = approx_standard_normal_cdf(inv_stdv * (centered - 1.0 / 255.0));
  const auto log_cdf_plus = torch::log(cdf_plus.clamp_min(1e-12));
  const auto log_one_minus_cdf_min = torch::log((1.0 - cdf_min).clamp_min(1e-12));
  const auto log_cdf_delta = torch::log((cdf_plus - cdf_min).clamp_min(1e-12));
  return torch::where(x < -0.999, log_cdf_plus, torch::where(x > 0.999, log_one_minus_cdf_min, log_cdf_delta));
}

}  // namespace

torch::Tensor training_timesteps(int64_t n, int steps, double share, at::Generator& generator) {
  const int64_t drawn_from = std::clamp<int64_t>(std::llround(share * steps), 1, steps);
  return torch::randint(0, drawn_from, {n}, generator, torch::kLong);
}

TrainingLoss training_loss(UNetModel& model, const DiffusionProcess& process, const torch::Tensor& x0,
                           const torch::Tensor& labels, const torch::Tensor& t, const torch::Tensor& noise,
                           double vb_weight, const torch::Tensor& low_res) {
  auto at = [&](const Eigen::ArrayXd& values) { return DiffusionProcess::gather(values, t); };
  const auto x_t = at(process.alphas_cumprod().sqrt()) * x0 + at((1.0 - process.alphas_cumprod()).sqrt()) * noise;
  // Under mixed precision the network's output is bf16/fp16; the loss terms are computed in fp32.
  const auto output = model->forward(x_t, t, labels, low_res).to(torch::kFloat);
  const auto eps = output.narrow(1, 0, 3);

  TrainingLoss terms;
  terms.mse = mean_flat((noise - eps).pow(2));
  if (output.size(1) == 3) {
    terms.vb = torch::zeros_like(terms.mse);
    terms.loss = terms.mse;
    return terms;
  }

  // The VLB with the mean frozen: gradients reach only the variance channels.
  const auto frozen_eps = eps.detach();
  const auto frac = (output.narrow(1, 3, 3) + 1) / 2;
  const auto min_log = at(process.posterior_log_variance_clipped());
  const auto max_log = at(process.betas().log());
  const auto log_variance = frac * max_log + (1 - frac) * min_log;
  const auto pred_x0 = at(process.sqrt_recip_alphas_cumprod()) * x_t - at(process.sqrt_recipm1_alphas_cumprod()) * frozen_eps;
  const auto coef1 = at(process.posterior_mean_coef1()), coef2 = at(process.posterior_mean_coef2());
  const auto model_mean = coef1 * pred_x0 + coef2 * x_t;
  const auto true_mean = coef1 * x0 + coef2 * x_t;
  const auto true_log_variance = min_log;

  const double bits = std::log(2.0);
  const auto kl = mean_flat(normal_kl(true_mean, true_log_variance, model_mean, log_variance)) / bits;
  const auto decoder_nll = -mean_flat(discretized_gaussian_log_likelihood(x0, model_mean, 0.5 * log_variance)) / bits;
  terms.vb = torch::where(t == 0, decoder_nll, kl);
  terms.loss = terms.mse + vb_weight * terms.vb;
  return terms;
}

}  // namespace sdm
