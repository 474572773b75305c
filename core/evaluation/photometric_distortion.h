#pragma once

#include <torch/types.h>

#include <random>

namespace sdm {

// One picture's colour change: brightness shift, contrast gain, saturation gain, hue rotation.
struct PhotometricChange {
  double brightness = 0;   // added, in [0, 1] units
  double contrast = 1;     // multiplies the values
  double saturation = 1;   // multiplies the chroma
  double hue_degrees = 0;  // rotates the chroma
};

// The augmentation the paper's judges were trained with (mmsegmentation's PhotoMetricDistortion,
// used by UperNet on ADE20K): each of the four changes applied with probability ½ — brightness
// ±32/255, contrast and saturation ×0.5…1.5, hue ±36° (OpenCV's ±18). A segmenter trained
// without it reads a slightly tinted sky as another class, so it would grade colour rather
// than whether a picture follows its map.
PhotometricChange draw_photometric_change(std::mt19937& rng);

// Applies a change to pictures in [-1, 1] ([N, 3, H, W], one change per picture). Hue and
// saturation act on the chroma plane of YIQ, so they keep each pixel's luma.
torch::Tensor apply_photometric_changes(const torch::Tensor& images, const std::vector<PhotometricChange>& changes);

// A fresh change for each picture of a batch.
torch::Tensor distort_photometrically(const torch::Tensor& images, std::mt19937& rng);

}  // namespace sdm
