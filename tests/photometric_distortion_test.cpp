// The colour jitter the segmenter trains with, against what each change must do to a pixel.

#include "core/evaluation/photometric_distortion.h"

#include <doctest/doctest.h>
#include <torch/torch.h>

namespace {

using namespace sdm;

// Luma (Rec. 601) of pictures in [-1, 1], per pixel.
torch::Tensor luma(const torch::Tensor& images) {
  const auto unit = (images + 1) / 2;
  return 0.299 * unit.select(1, 0) + 0.587 * unit.select(1, 1) + 0.114 * unit.select(1, 2);
}

// Mid-range colours, so no change below pushes them out of [0, 1].
torch::Tensor muted_pictures() { return torch::rand({2, 3, 4, 5}, torch::kDouble) * 0.4 - 0.2; }

double largest_difference(const torch::Tensor& a, const torch::Tensor& b) { return (a - b).abs().max().item<double>(); }

TEST_CASE("no change keeps the pictures; brightness and contrast act on every channel alike") {
  const auto images = muted_pictures();
  CHECK(largest_difference(apply_photometric_changes(images, {{}, {}}), images) < 1e-12);

  PhotometricChange brighter;
  brighter.brightness = 0.1;
  PhotometricChange stronger;
  stronger.contrast = 1.25;
  stronger.brightness = -0.05;
  const auto changed = apply_photometric_changes(images, {brighter, stronger});
  const auto unit = (images + 1) / 2;
  CHECK(largest_difference((changed[0] + 1) / 2, unit[0] + 0.1) < 1e-12);
  CHECK(largest_difference((changed[1] + 1) / 2, (unit[1] - 0.05) * 1.25) < 1e-12);

  // Values leaving the range are clipped, as an 8-bit picture's would be.
  PhotometricChange blinding;
  blinding.brightness = 2.0;
  CHECK(apply_photometric_changes(images, {blinding, blinding}).min().item<double>() == 1.0);
}

TEST_CASE("hue and saturation change the colour, never the luma") {
  const auto images = muted_pictures();
  PhotometricChange rotated;
  rotated.hue_degrees = 30;
  PhotometricChange grey;
  grey.saturation = 0;
  const auto changed = apply_photometric_changes(images, {rotated, grey});
  CHECK(largest_difference(luma(changed), luma(images)) < 1e-12);
  CHECK(largest_difference(changed[0], images[0]) > 0.01);
  // No chroma left: the three channels are equal (to the luma).
  CHECK(largest_difference(changed[1][0], changed[1][1]) < 1e-12);
  CHECK(largest_difference(changed[1][1], changed[1][2]) < 1e-12);

  // A rotation is undone by the opposite one, and a full turn is none.
  PhotometricChange back;
  back.hue_degrees = -30;
  PhotometricChange full_turn;
  full_turn.hue_degrees = 360;
  const auto restored = apply_photometric_changes(changed, {back, full_turn});
  CHECK(largest_difference(restored[0], images[0]) < 1e-12);
  CHECK(largest_difference(apply_photometric_changes(images, {full_turn, full_turn}), images) < 1e-12);
}

TEST_CASE("draws: each change half the time, within its range, the same for the same seed") {
  std::mt19937 rng(7);
  int brightened = 0, contrasted = 0, saturated = 0, rotated = 0;
  constexpr int kDraws = 4000;
  for (int i = 0; i < kDraws; ++i) {
    const auto c = draw_photometric_change(rng);
    brightened += c.brightness != 0;
    contrasted += c.contrast != 1;
    saturated += c.saturation != 1;
    rotated += c.hue_degrees != 0;
    CHECK(std::abs(c.brightness) <= 32.0 / 255.0);
    CHECK((c.contrast >= 0.5 && c.contrast <= 1.5));
    CHECK((c.saturation >= 0.5 && c.saturation <= 1.5));
    CHECK(std::abs(c.hue_degrees) <= 36.0);
  }
  // Binomial(4000, ½): 5 standard deviations are ±158.
  for (const int n : {brightened, contrasted, saturated, rotated}) CHECK(std::abs(n - kDraws / 2) < 158);

  const auto images = muted_pictures();
  std::mt19937 first(3), second(3), other(4);
  const auto a = distort_photometrically(images, first), b = distort_photometrically(images, second);
  CHECK(largest_difference(a, b) == 0.0);
  CHECK(largest_difference(a, distort_photometrically(images, other)) > 0.0);
}

TEST_CASE("bad input is refused with the reason") {
  CHECK_THROWS_WITH(apply_photometric_changes(torch::zeros({1, 1, 4, 4}), {{}}), doctest::Contains("RGB"));
  CHECK_THROWS_WITH(apply_photometric_changes(torch::zeros({2, 3, 4, 4}), {{}}), doctest::Contains("one change per picture"));
}

}  // namespace
