// ProGAN's sliced Wasserstein distance per Laplacian level, against what it must say of sets whose
// difference is known: none, lost fine detail, a colour cast.
#include "core/base/error.h"
#include "core/evaluation/sliced_wasserstein.h"

#include <doctest/doctest.h>
#include <torch/torch.h>

using namespace sdm;

namespace {

// Pictures with structure at every scale: smooth colour fields plus fine noise, in [-1, 1].
torch::Tensor textured(int64_t count, int64_t seed) {
  torch::manual_seed(uint64_t(seed));
  namespace F = torch::nn::functional;
  const auto coarse = F::interpolate(torch::rand({count, 3, 8, 8}) * 2 - 1,
                                     F::InterpolateFuncOptions().size(std::vector<int64_t>{64, 64}).mode(torch::kBilinear).align_corners(false));
  return (0.6 * coarse + 0.3 * torch::randn({count, 3, 64, 64})).clamp(-1, 1);
}

torch::Tensor box_blurred(const torch::Tensor& x) {
  namespace F = torch::nn::functional;
  return F::avg_pool2d(F::pad(x, F::PadFuncOptions({1, 1, 1, 1}).mode(torch::kReplicate)), F::AvgPool2dFuncOptions(3).stride(1));
}

}  // namespace

TEST_CASE("identical sets are 0 apart at every level; two samples of one distribution are close") {
  const auto a = textured(8, 1);
  const auto same = sliced_wasserstein_distances(a, a, 3);
  REQUIRE(same.size() == 3);
  for (const double d : same) CHECK(d == 0.0);
  const auto other = sliced_wasserstein_distances(a, textured(8, 2), 3);
  for (const double d : other) CHECK(d > 0.0);
}

TEST_CASE("a blurred set moves the finest level most; a colour cast moves the coarsest most") {
  const auto real = textured(8, 3), sample = textured(8, 4);
  const auto floor = sliced_wasserstein_distances(sample, real, 3);
  const auto blurred = sliced_wasserstein_distances(box_blurred(sample), real, 3);
  const auto cast = sliced_wasserstein_distances((sample + torch::tensor({0.3f, 0.0f, -0.3f}).view({1, 3, 1, 1})).clamp(-1, 1), real, 3);
  CAPTURE(floor);
  CAPTURE(blurred);
  CAPTURE(cast);
  CHECK(blurred[0] > 3 * floor[0]);
  CHECK(blurred[0] - floor[0] > blurred[2] - floor[2]);
  CHECK(cast[2] > 3 * floor[2]);
  CHECK(cast[2] - floor[2] > cast[0] - floor[0]);
}

TEST_CASE("sets of another size, or too many levels for the picture, are refused") {
  CHECK_THROWS_AS(sliced_wasserstein_distances(textured(2, 5), textured(2, 5).narrow(2, 0, 32), 2), Error);
  CHECK_THROWS_AS(sliced_wasserstein_distances(textured(2, 5), textured(2, 6), 5), Error);  // 64 / 16 < 7
}
