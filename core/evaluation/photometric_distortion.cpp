#include "core/evaluation/photometric_distortion.h"

#include "core/base/error.h"

#include <Eigen/Dense>
#include <torch/torch.h>

#include <cmath>
#include <numbers>

namespace sdm {

namespace {

// RGB → YIQ (NTSC): Y is luma, I and Q span the chroma plane.
const Eigen::Matrix3d kRgbToYiq = (Eigen::Matrix3d() << 0.299, 0.587, 0.114,  //
                                   0.596, -0.274, -0.322,                      //
                                   0.211, -0.523, 0.312)
                                      .finished();
const Eigen::Matrix3d kYiqToRgb = kRgbToYiq.inverse();

// The linear part of a change, in RGB: contrast × (YIQ⁻¹ · chroma rotation and gain · YIQ).
Eigen::Matrix3d color_matrix(const PhotometricChange& change) {
  const double angle = change.hue_degrees * std::numbers::pi / 180.0;
  Eigen::Matrix3d chroma = Eigen::Matrix3d::Identity();
  chroma.bottomRightCorner<2, 2>() << std::cos(angle), -std::sin(angle), std::sin(angle), std::cos(angle);
  chroma.bottomRightCorner<2, 2>() *= change.saturation;
  return change.contrast * kYiqToRgb * chroma * kRgbToYiq;
}

}  // namespace

PhotometricChange draw_photometric_change(std::mt19937& rng) {
  std::bernoulli_distribution half(0.5);
  std::uniform_real_distribution<double> gain(0.5, 1.5), shift(-32.0 / 255.0, 32.0 / 255.0), hue(-36.0, 36.0);
  PhotometricChange change;
  // Drawn in a fixed order, each draw made whether or not its change is used, so one change's
  // coin does not shift the others' values.
  const bool brighten = half(rng), contrast = half(rng), saturate = half(rng), rotate = half(rng);
  const double b = shift(rng), c = gain(rng), s = gain(rng), h = hue(rng);
  if (brighten) change.brightness = b;
  if (contrast) change.contrast = c;
  if (saturate) change.saturation = s;
  if (rotate) change.hue_degrees = h;
  return change;
}

torch::Tensor apply_photometric_changes(const torch::Tensor& images, const std::vector<PhotometricChange>& changes) {
  if (images.dim() != 4 || images.size(1) != 3) throw Error("photometric distortion needs RGB pictures [N, 3, H, W]");
  if (int64_t(changes.size()) != images.size(0)) throw Error("photometric distortion needs one change per picture");
  std::vector<double> matrices, offsets;
  for (const auto& change : changes) {
    // Row-major, as the tensor below reads them.
    const Eigen::Matrix<double, 3, 3, Eigen::RowMajor> m = color_matrix(change);
    matrices.insert(matrices.end(), m.data(), m.data() + 9);
    // Brightness is added before the contrast gain, as in mmsegmentation; the matrix maps grey to
    // grey, so the shift stays the same on every channel.
    offsets.push_back(change.contrast * change.brightness);
  }
  const int64_t n = images.size(0);
  const auto unit = (images + 1) / 2;
  const auto changed = torch::einsum("nrk,nkhw->nrhw", {torch::tensor(matrices, torch::kDouble).view({n, 3, 3}).to(images.dtype()), unit}) +
                       torch::tensor(offsets, torch::kDouble).view({n, 1, 1, 1}).to(images.dtype());
  return changed.clamp(0, 1) * 2 - 1;
}

torch::Tensor distort_photometrically(const torch::Tensor& images, std::mt19937& rng) {
  std::vector<PhotometricChange> changes;
  for (int64_t i = 0; i < images.size(0); ++i) changes.push_back(draw_photometric_change(rng));
  return apply_photometric_changes(images, changes);
}

}  // namespace sdm
