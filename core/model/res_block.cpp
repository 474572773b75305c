#include "core/model/res_block.h"

#include <torch/torch.h>

namespace sdm {

ResBlockImpl::ResBlockImpl(const ResBlockOptions& options)
    : layers_(options), in_norm_(options.channels), out_norm_(options.out_channels) {
  using namespace torch::nn;
  register_module("in_layers", Sequential(in_norm_, SiLU(), layers_.in_conv));
  register_module("emb_layers", Sequential(SiLU(), layers_.emb_linear));
  register_module("out_layers", Sequential(out_norm_, SiLU(), layers_.dropout, layers_.out_conv));
  if (layers_.skip) register_module("skip_connection", layers_.skip);
}

torch::Tensor ResBlockImpl::forward(const torch::Tensor& x, const torch::Tensor& emb) {
  return layers_.forward(x, emb, [&](const torch::Tensor& h, const NormEpilogue& e) { return in_norm_(h, e); },
                         [&](const torch::Tensor& h, const NormEpilogue& e) { return out_norm_(h, e); });
}

}  // namespace sdm
