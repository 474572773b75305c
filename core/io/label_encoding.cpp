#include "core/io/label_encoding.h"

#include <torch/torch.h>

namespace sdm {

torch::Tensor instance_edges(const torch::Tensor& instances) {
  using torch::indexing::Slice;
  auto edges = torch::zeros(instances.sizes(), torch::kBool);
  const auto horizontal = instances.index({Slice(), Slice(1)}) != instances.index({Slice(), Slice(0, -1)});
  const auto vertical = instances.index({Slice(1), Slice()}) != instances.index({Slice(0, -1), Slice()});
  edges.index({Slice(), Slice(1)}) |= horizontal;
  edges.index({Slice(), Slice(0, -1)}) |= horizontal;
  edges.index({Slice(1), Slice()}) |= vertical;
  edges.index({Slice(0, -1), Slice()}) |= vertical;
  return edges.to(torch::kFloat);
}

torch::Tensor encode_label_map(const torch::Tensor& channels, int num_classes, bool with_edges, const torch::Tensor& instances) {
  const auto height = channels.size(0), width = channels.size(1);
  auto one_hot = torch::zeros({1, num_classes, height, width});
  one_hot.scatter_(1, channels.view({1, 1, height, width}), 1.0);
  if (!with_edges) return one_hot;
  const auto edges = instances.defined() ? instance_edges(instances) : torch::zeros({height, width});
  return torch::cat({one_hot, edges.view({1, 1, height, width})}, 1);
}

}  // namespace sdm
