#include "core/evaluation/detail_measure.h"

#include "core/base/error.h"
#include "core/diffusion/low_res_conditioning.h"

#include <torch/torch.h>

namespace sdm {

torch::Tensor detail_share(const torch::Tensor& images, int64_t low_height, int64_t low_width) {
  if (images.size(2) % low_height || images.size(3) % low_width || images.size(2) / low_height != images.size(3) / low_width)
    throw Error("pictures of " + std::to_string(images.size(3)) + "x" + std::to_string(images.size(2)) + " do not reduce to " +
                std::to_string(low_width) + "x" + std::to_string(low_height) + " by one whole factor");
  namespace F = torch::nn::functional;
  const auto x = images.to(torch::kDouble);
  const auto low = area_downsample(x, static_cast<int>(images.size(2) / low_height));
  const auto back = F::interpolate(low, F::InterpolateFuncOptions()
                                            .size(std::vector<int64_t>{images.size(2), images.size(3)})
                                            .mode(torch::kBilinear)
                                            .align_corners(false));
  const auto energy = (x - x.mean({2, 3}, true)).pow(2).sum({1, 2, 3});
  return ((x - back).pow(2).sum({1, 2, 3}) / energy.clamp_min(1e-12)).to(torch::kFloat);
}

}  // namespace sdm
