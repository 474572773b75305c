// The input-gain probe against functions whose gains are known in closed form.
#include "core/evaluation/input_gain.h"

#include <doctest/doctest.h>
#include <torch/torch.h>

using namespace sdm;

TEST_CASE("input gain: identity passes both, a per-channel mean removal passes only the pattern") {
  const auto x = torch::randn({3, 3, 16, 16});
  const auto identity = input_gain([](const torch::Tensor& v) { return v; }, x);
  CHECK(identity.mean == doctest::Approx(1.0).epsilon(1e-4));
  CHECK(identity.pattern == doctest::Approx(1.0).epsilon(1e-4));

  // What a GroupNorm with one channel per group does to the mean: removes it.
  const auto centred = input_gain([](const torch::Tensor& v) { return v - v.mean({2, 3}, true); }, x);
  CHECK(std::abs(centred.mean) < 1e-4);
  CHECK(centred.pattern == doctest::Approx(1.0).epsilon(1e-4));

  const auto doubled = input_gain([](const torch::Tensor& v) { return 2 * v + 1; }, x);
  CHECK(doubled.mean == doctest::Approx(2.0).epsilon(1e-4));
  CHECK(doubled.pattern == doctest::Approx(2.0).epsilon(1e-4));

  // A blur keeps the mean and weakens a fine pattern.
  const auto blurred = input_gain([](const torch::Tensor& v) { return torch::avg_pool2d(v, 3, 1, 1, false, false); }, x);
  CHECK(blurred.mean == doctest::Approx(1.0).epsilon(1e-3));
  CHECK(blurred.pattern < 0.5);
}
