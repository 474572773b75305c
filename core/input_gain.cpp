#include "core/input_gain.h"

namespace sdm {

InputGain input_gain(const std::function<torch::Tensor(const torch::Tensor&)>& predict, const torch::Tensor& x, double size) {
  torch::NoGradGuard no_grad;
  const auto base = predict(x);
  const int64_t channels = x.size(1);
  // A fixed zero-mean, unit-rms pattern, the same for every picture.
  auto generator = at::make_generator<at::CPUGeneratorImpl>(12345);
  auto pattern = at::randn({x.size(2), x.size(3)}, generator, torch::kFloat);
  pattern = (pattern - pattern.mean()) / (pattern - pattern.mean()).pow(2).mean().sqrt();
  pattern = pattern.to(x.device(), x.scalar_type());
  InputGain gain;
  for (int64_t c = 0; c < channels; ++c) {
    auto shifted = x.clone();
    shifted.select(1, c).add_(size);
    gain.mean += (predict(shifted) - base).select(1, c).mean().item<double>() / size;
    auto patterned = x.clone();
    patterned.select(1, c).add_(pattern * size);
    gain.pattern += ((predict(patterned) - base).select(1, c) * pattern).mean().item<double>() / size;
  }
  gain.mean /= double(channels);
  gain.pattern /= double(channels);
  return gain;
}

}  // namespace sdm
