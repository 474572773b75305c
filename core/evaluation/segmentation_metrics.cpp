#include "core/evaluation/segmentation_metrics.h"

#include <torch/torch.h>

#include <cmath>
#include <limits>

namespace sdm {

torch::Tensor confusion_matrix(const torch::Tensor& predicted, const torch::Tensor& truth, int num_classes) {
  const auto index = truth.reshape(-1).to(torch::kLong) * num_classes + predicted.reshape(-1).to(torch::kLong);
  return torch::bincount(index.cpu(), {}, int64_t(num_classes) * num_classes).view({num_classes, num_classes}).to(torch::kLong);
}

double mean_iou(const torch::Tensor& confusion, std::vector<double>* per_class) {
  const auto counts = confusion.to(torch::kDouble);
  const auto intersection = counts.diagonal();
  const auto union_ = counts.sum(0) + counts.sum(1) - intersection;
  double sum = 0;
  int present = 0;
  if (per_class) per_class->assign(size_t(counts.size(0)), std::numeric_limits<double>::quiet_NaN());
  for (int64_t c = 0; c < counts.size(0); ++c) {
    const double u = union_[c].item<double>();
    if (u == 0) continue;
    const double iou = intersection[c].item<double>() / u;
    if (per_class) (*per_class)[size_t(c)] = iou;
    sum += iou;
    ++present;
  }
  return present ? sum / present : std::numeric_limits<double>::quiet_NaN();
}

torch::Tensor perceptual_distance(const std::vector<torch::Tensor>& a, const std::vector<torch::Tensor>& b) {
  auto total = torch::zeros({a.front().size(0)}, a.front().options());
  for (size_t layer = 0; layer < a.size(); ++layer) {
    const auto na = a[layer] / (a[layer].norm(2, 1, true) + 1e-10);
    const auto nb = b[layer] / (b[layer].norm(2, 1, true) + 1e-10);
    total += (na - nb).pow(2).sum(1).mean({1, 2});
  }
  return total;
}

}  // namespace sdm
