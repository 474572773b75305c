// What a super-resolution stage's low-res input goes through: area downsampling, Gaussian blur
// and the training-time degradation, checked against closed forms and for batch independence.
#include "core/base/error.h"
#include "core/diffusion/low_res_conditioning.h"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>
#include <torch/torch.h>

using namespace sdm;

TEST_CASE("area downsampling is the mean of each block") {
  const auto x = torch::arange(2 * 3 * 8 * 12, torch::kFloat).reshape({2, 3, 8, 12});
  const auto down = area_downsample(x, 4);
  REQUIRE(down.sizes() == at::IntArrayRef({2, 3, 2, 3}));
  using torch::indexing::Slice;
  CHECK(down[1][2][1][2].item<double>() == doctest::Approx(x.index({1, 2, Slice(4, 8), Slice(8, 12)}).mean().item<double>()));
  CHECK(area_downsample(x, 1).equal(x));
  CHECK_THROWS_AS(area_downsample(x, 5), Error);
}

TEST_CASE("keeping the low frequencies makes the area downsample exactly the low-res picture, with a smooth change") {
  const auto x0 = torch::rand({2, 3, 16, 16}) * 2 - 1, low = torch::rand({2, 3, 4, 4}) * 2 - 1;
  const auto kept = keep_low_frequencies(x0, low);
  CHECK(area_downsample(kept, 4).allclose(low, 1e-5, 1e-6));
  // The change is a bilinear enlargement: linear between the low-res pixels' centres (at 4k + 1.5),
  // so it has no step where one 4×4 block meets the next (between 4k + 3 and 4k + 4).
  const auto change = kept - x0;
  using torch::indexing::Slice;
  const auto steps = change.diff(1, 3);  // steps[j]: column j + 1 minus column j
  for (int k = 0; k + 1 < 4; ++k) {
    CAPTURE(k);
    CHECK(steps.select(3, 4 * k + 3).allclose(steps.select(3, 4 * k + 2), 1e-5, 1e-6));
  }
  CHECK(change.abs().max().item<double>() > 0.1);
  // A picture already consistent with low-res is left as it is.
  CHECK(keep_low_frequencies(kept, low).allclose(kept, 1e-5, 1e-6));
  CHECK_THROWS_AS(keep_low_frequencies(x0, torch::zeros({2, 3, 5, 5})), Error);
}

TEST_CASE("a Gaussian blur keeps constants and sums, and spreads an impulse by sigma") {
  CHECK(gaussian_blur(torch::full({1, 3, 9, 9}, 0.25), 1.3).allclose(torch::full({1, 3, 9, 9}, 0.25), 1e-6, 1e-6));
  auto impulse = torch::zeros({1, 1, 41, 41});
  impulse[0][0][20][20] = 1;
  for (double sigma : {0.7, 2.0}) {
    CAPTURE(sigma);
    const auto blurred = gaussian_blur(impulse, sigma)[0][0];
    CHECK(blurred.sum().item<double>() == doctest::Approx(1.0).epsilon(1e-5));
    // Its variance along a row is σ² (the discrete Gaussian's, to within truncation at 3σ).
    const auto offsets = torch::arange(-20, 21, torch::kFloat);
    const double variance = (blurred.sum(0) * offsets.pow(2)).sum().item<double>();
    CHECK(variance == doctest::Approx(sigma * sigma).epsilon(0.03));
  }
  CHECK(gaussian_blur(impulse, 0).equal(impulse));
  // Pictures smaller than the kernel are blurred too, without reading outside them.
  CHECK(gaussian_blur(torch::full({1, 3, 2, 2}, -0.5), 3.0).allclose(torch::full({1, 3, 2, 2}, -0.5), 1e-6, 1e-6));
}

TEST_CASE("each picture's degradation depends on its own index, not on the batch around it") {
  LowResAugmentation augmentation;
  augmentation.probability = 1.0;
  const auto low = torch::rand({4, 3, 16, 16}) * 2 - 1;
  const auto batch = augmentation.degrade(low, 99, 10);
  const auto alone = augmentation.degrade(low.narrow(0, 2, 1), 99, 12);
  CHECK(batch[2].equal(alone[0]));
  CHECK((batch - low).abs().max().item<double>() > 1e-3);    // degraded…
  CHECK_FALSE(batch[0].equal(augmentation.degrade(low, 100, 10)[0]));  // …by draws of the seed

  augmentation.probability = 0;
  CHECK(augmentation.degrade(low, 99, 10).equal(low));
}

TEST_CASE("the augmentation settings round-trip through the sidecar and are range-checked") {
  LowResAugmentation a;
  a.probability = 0.3;
  a.blur_sigma_max = 0.8;
  a.noise_max = 0.05;
  a.sampling_blur_sigma = 0.4;
  const auto b = LowResAugmentation::from_json(a.to_json());
  CHECK(b.probability == a.probability);
  CHECK(b.blur_sigma_max == a.blur_sigma_max);
  CHECK(b.noise_max == a.noise_max);
  CHECK(b.sampling_blur_sigma == a.sampling_blur_sigma);
  auto bad = a.to_json();
  bad["probability"] = 2;
  CHECK_THROWS_WITH_AS(LowResAugmentation::from_json(bad), doctest::Contains("\"probability\""), Error);
  bad.erase("probability");
  CHECK_THROWS_WITH_AS(LowResAugmentation::from_json(bad), doctest::Contains("\"probability\""), Error);
}
