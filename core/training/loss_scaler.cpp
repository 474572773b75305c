#include "core/training/loss_scaler.h"

#include <torch/torch.h>

namespace sdm {

LossScaler::LossScaler(double scale, int64_t growth_interval) : scale_(scale), growth_interval_(growth_interval) {}

torch::Tensor LossScaler::scale(const torch::Tensor& loss) const { return loss * scale_; }

bool LossScaler::unscale(const std::vector<torch::Tensor>& parameters) {
  torch::NoGradGuard no_grad;
  std::vector<torch::Tensor> finite;
  for (const auto& parameter : parameters) {
    auto grad = parameter.grad();
    if (!grad.defined()) continue;
    grad.div_(scale_);
    finite.push_back(torch::isfinite(grad).all());
  }
  // One synchronisation for all parameters rather than one each.
  const bool ok = finite.empty() || torch::stack(finite).all().item<bool>();
  if (!ok) {
    scale_ /= 2;
    good_steps_ = 0;
  } else if (++good_steps_ == growth_interval_) {
    scale_ *= 2;
    good_steps_ = 0;
  }
  return ok;
}

nlohmann::json LossScaler::state() const { return {{"scale", scale_}, {"good_steps", good_steps_}}; }

void LossScaler::restore(const nlohmann::json& state) {
  scale_ = state.at("scale").get<double>();
  good_steps_ = state.at("good_steps").get<int64_t>();
}

}  // namespace sdm
