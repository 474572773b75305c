#include "core/diffusion/low_res_conditioning.h"

#include "core/base/error.h"

#include <ATen/CPUGeneratorImpl.h>
#include <nlohmann/json.hpp>
#include <torch/torch.h>

#include <cmath>

namespace sdm {

namespace F = torch::nn::functional;

torch::Tensor area_downsample(const torch::Tensor& images, int factor) {
  if (factor < 1 || images.size(2) % factor || images.size(3) % factor)
    throw Error("cannot area-downsample " + c10::str(images.sizes()) + " by " + std::to_string(factor));
  return factor == 1 ? images : F::avg_pool2d(images, F::AvgPool2dFuncOptions(factor));
}

namespace {
constexpr int kConsistencyIterations = 40;  // the residual's area mean falls below 1e-5 of its range
}  // namespace

torch::Tensor keep_low_frequencies(const torch::Tensor& x0, const torch::Tensor& low_res) {
  const int64_t factor = x0.size(2) / low_res.size(2);
  if (factor < 1 || x0.size(2) != factor * low_res.size(2) || x0.size(3) != factor * low_res.size(3))
    throw Error("low-res pictures " + c10::str(low_res.sizes()) + " are not a whole fraction of " + c10::str(x0.sizes()));
  const auto enlarge = [&](const torch::Tensor& low) {
    return F::interpolate(low, F::InterpolateFuncOptions()
                                   .size(std::vector<int64_t>{x0.size(2), x0.size(3)})
                                   .mode(torch::kBilinear)
                                   .align_corners(false));
  };
  const auto shrink = [&](const torch::Tensor& high) { return area_downsample(high, static_cast<int>(factor)); };
  // Solve A·B·y = r (r: what x0's area downsample misses of low_res) by Richardson's iteration;
  // A·B is a low-pass of gain 1 at the zero frequency and above 0 elsewhere, so it converges.
  const auto residual = low_res.to(x0.scalar_type()) - shrink(x0);
  auto y = residual;
  for (int k = 0; k < kConsistencyIterations; ++k) y = y + (residual - shrink(enlarge(y)));
  return x0 + enlarge(y);
}

torch::Tensor gaussian_blur(const torch::Tensor& images, double sigma) {
  if (sigma <= 0) return images;
  const int64_t radius = static_cast<int64_t>(std::ceil(3 * sigma));
  auto taps = torch::arange(-radius, radius + 1, images.options()).pow(2).div(-2 * sigma * sigma).exp();
  taps = taps / taps.sum();
  const int64_t channels = images.size(1);
  // Reflection needs the pad to be smaller than the side.
  const int64_t pad = std::min({radius, images.size(2) - 1, images.size(3) - 1});
  auto padded = F::pad(images, F::PadFuncOptions({pad, pad, pad, pad}).mode(torch::kReflect));
  if (pad < radius) padded = F::pad(padded, F::PadFuncOptions({radius - pad, radius - pad, radius - pad, radius - pad}).mode(torch::kReplicate));
  const auto row = taps.view({1, 1, 1, -1}).expand({channels, 1, 1, -1});
  const auto column = taps.view({1, 1, -1, 1}).expand({channels, 1, -1, 1});
  return F::conv2d(F::conv2d(padded, row, F::Conv2dFuncOptions().groups(channels)), column, F::Conv2dFuncOptions().groups(channels));
}

torch::Tensor LowResAugmentation::degrade(const torch::Tensor& low_res, uint64_t seed, int64_t first_index) const {
  std::vector<torch::Tensor> pictures;
  for (int64_t i = 0; i < low_res.size(0); ++i) {
    auto generator = at::make_generator<at::CPUGeneratorImpl>(seed + 0x9E3779B97F4A7C15ull * static_cast<uint64_t>(first_index + i + 1));
    const auto u = at::rand({4}, generator, torch::kDouble);
    auto picture = low_res.narrow(0, i, 1);
    if (u[0].item<double>() < probability) picture = gaussian_blur(picture, u[1].item<double>() * blur_sigma_max);
    if (u[2].item<double>() < probability)
      picture = picture + u[3].item<double>() * noise_max * at::randn(picture.sizes(), generator, torch::kFloat).to(picture.options());
    pictures.push_back(picture);
  }
  return torch::cat(pictures);
}

nlohmann::json LowResAugmentation::to_json() const {
  return {{"probability", probability}, {"blur_sigma_max", blur_sigma_max}, {"noise_max", noise_max},
          {"sampling_blur_sigma", sampling_blur_sigma}};
}

LowResAugmentation LowResAugmentation::from_json(const nlohmann::json& json) {
  LowResAugmentation a;
  auto read = [&](const char* name, double& value, double low, double high) {
    if (!json.is_object() || !json.contains(name) || !json[name].is_number() || json[name].get<double>() < low ||
        json[name].get<double>() > high)
      throw Error(std::string("low_res_augmentation: \"") + name + "\" must be a number in [" + c10::str(low) + ", " + c10::str(high) + "]");
    value = json[name].get<double>();
  };
  read("probability", a.probability, 0, 1);
  read("blur_sigma_max", a.blur_sigma_max, 0, 100);
  read("noise_max", a.noise_max, 0, 10);
  read("sampling_blur_sigma", a.sampling_blur_sigma, 0, 100);
  return a;
}

}  // namespace sdm
