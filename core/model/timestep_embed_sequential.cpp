#include "core/model/timestep_embed_sequential.h"

namespace sdm {

torch::Tensor TimestepEmbedSequentialImpl::forward(torch::Tensor x, const torch::Tensor& emb,
                                                   LabelConditioning& labels) {
  for (const auto& layer : layers_) x = layer(x, emb, &labels);
  return x;
}

torch::Tensor TimestepEmbedSequentialImpl::forward(torch::Tensor x, const torch::Tensor& emb) {
  for (const auto& layer : layers_) x = layer(x, emb, nullptr);
  return x;
}

}  // namespace sdm
