#pragma once

#include <nlohmann/json_fwd.hpp>
#include <torch/types.h>

#include <cstdint>

namespace sdm {

// What a super-resolution stage's low-res input goes through. The stage is trained on crops
// area-downsampled to the low-res size, then degraded at random (conditioning augmentation, as in
// Cascaded Diffusion Models and Imagen), so that at sampling time it cleans up the base model's
// artefacts instead of copying them up: with probability `probability` a Gaussian blur of σ
// uniform in [0, blur_sigma_max] low-res pixels, and independently with the same probability
// Gaussian noise of standard deviation uniform in [0, noise_max] (images in [−1, 1]).
struct LowResAugmentation {
  double probability = 0.5;
  double blur_sigma_max = 1.0;
  double noise_max = 0.1;
  // At sampling the stage sees the base's picture blurred by this σ (low-res pixels) and no
  // noise, so it is inside what it was trained on and the draws stay the reference's.
  double sampling_blur_sigma = 0.5;

  // [N, 3, h, w] → the same, picture i degraded with draws from a generator seeded by (seed,
  // first_index + i): its own, whatever else is in the batch.
  torch::Tensor degrade(const torch::Tensor& low_res, uint64_t seed, int64_t first_index) const;

  nlohmann::json to_json() const;
  // Throws sdm::Error naming the field that is missing or out of range.
  static LowResAugmentation from_json(const nlohmann::json& json);
};

// x0 made to area-downsample to `low_res` (A = area downsampling by f) with the smoothest
// change: x0 + B·y, B the bilinear enlargement and y the solution of A·B·y = low_res − A·x0. As
// DDNM's range-null-space projection (Wang et al. 2022) what A cannot see (the detail) stays x0's
// own, but its correction is smooth where DDNM's A⁺ — each low-res pixel replicated f×f times —
// printed a grid of f×f steps into the picture.
torch::Tensor keep_low_frequencies(const torch::Tensor& x0, const torch::Tensor& low_res);

// [N, C, H, W] → [N, C, H/f, W/f]: each low-res pixel the mean of its f×f block (area
// resampling, as OpenCV's INTER_AREA for an integer factor). H and W must be multiples of f.
torch::Tensor area_downsample(const torch::Tensor& images, int factor);

// A separable Gaussian blur of standard deviation `sigma` pixels (kernel radius ⌈3σ⌉, borders
// reflected); σ ≤ 0 returns the input.
torch::Tensor gaussian_blur(const torch::Tensor& images, double sigma);

}  // namespace sdm
