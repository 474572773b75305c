#pragma once

#include <torch/types.h>

#include <vector>

namespace sdm {

// The paper's evaluation measures, for our own segmenter.

// Pixel counts [C, C] (int64): row = the true class, column = the predicted one. Inputs are class
// channels of any equal shape.
torch::Tensor confusion_matrix(const torch::Tensor& predicted, const torch::Tensor& truth, int num_classes);
// Intersection over union per class, averaged over the classes that occur in truth or prediction.
// `per_class` (optional) receives each class's IoU, NaN for classes that never occur.
double mean_iou(const torch::Tensor& confusion, std::vector<double>* per_class = nullptr);
// LPIPS-style distance between two batches' feature lists (one [N, C, H, W] per layer): channels
// unit-normalised at each position, squared differences averaged over positions and summed over
// layers. Returns [N].
torch::Tensor perceptual_distance(const std::vector<torch::Tensor>& a, const std::vector<torch::Tensor>& b);

}  // namespace sdm
