#include "core/model/parameter_init.h"

#include <torch/nn/init.h>
#include <torch/torch.h>

#include <cmath>

namespace sdm {

namespace {
thread_local bool skip_init = false;
}

SkipParameterInit::SkipParameterInit() : was_active_(skip_init) { skip_init = true; }
SkipParameterInit::~SkipParameterInit() { skip_init = was_active_; }
bool SkipParameterInit::active() { return skip_init; }

void init_default_parameters(torch::Tensor& weight, torch::Tensor& bias) {
  if (skip_init) return;
  torch::nn::init::kaiming_uniform_(weight, std::sqrt(5.0));
  if (bias.defined()) {
    const auto fan_in = static_cast<double>(weight.numel() / weight.size(0));
    const double bound = 1.0 / std::sqrt(fan_in);
    torch::nn::init::uniform_(bias, -bound, bound);
  }
}

void init_zero_parameters(torch::Tensor& weight, torch::Tensor& bias) {
  if (skip_init) return;
  torch::NoGradGuard no_grad;
  weight.zero_();
  if (bias.defined()) bias.zero_();
}

}  // namespace sdm
