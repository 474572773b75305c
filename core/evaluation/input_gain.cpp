#include "core/evaluation/input_gain.h"

#include <torch/torch.h>

namespace sdm {

InputGain input_gain(const std::function<torch::Tensor(const torch::Tensor&)>& predict, const torch::Tensor& x, double size) {
  torch::NoGradGuard no_grad;
  const auto base = predict(x);
  const int64_t channels = x.size(1);
  // Two unit-rms directions: the constant one (the mean colour) and a fixed zero-mean pattern.
  auto generator = at::make_generator<at::CPUGeneratorImpl>(12345);
  const auto noise = at::randn({x.size(2), x.size(3)}, generator, torch::kFloat);
  const auto centred = noise - noise.mean();
  const auto pattern = (centred / centred.pow(2).mean().sqrt()).to(x.device(), x.scalar_type());
  const auto constant = torch::ones_like(pattern);
  // x moved by `size` along a direction in channel c: how far the output moves along it.
  auto along = [&](const torch::Tensor& direction, int64_t c) {
    auto moved = x.clone();
    moved.select(1, c).add_(direction * size);
    return ((predict(moved) - base).select(1, c) * direction).mean().item<double>() / size;
  };
  InputGain gain;
  for (int64_t c = 0; c < channels; ++c) {
    gain.mean += along(constant, c);
    gain.pattern += along(pattern, c);
  }
  gain.mean /= double(channels);
  gain.pattern /= double(channels);
  return gain;
}

}  // namespace sdm
