#pragma once

#include <torch/types.h>

#include <functional>

namespace sdm {

// How much of a small change to its input a function passes to its output, for the change's
// mean colour and for a zero-mean pattern of the same size, per channel, averaged over channels.
struct InputGain {
  double mean = 0;
  double pattern = 0;
};

// For a noise prediction at the largest t, where x_t is almost all noise and ε ≈ x_t, both gains
// of a good network are ≈ 1. A network that cannot see a channel's spatial mean passes the
// pattern but not the mean: its first steps then take the noise's own mean colour for the
// picture's, amplified √(1/ᾱ) times (~150 at t = 999) — the colour casts of models/README.md.
// `x` is [N, C, H, W]; `predict` maps it to the same shape.
InputGain input_gain(const std::function<torch::Tensor(const torch::Tensor&)>& predict, const torch::Tensor& x, double size = 0.05);

}  // namespace sdm
