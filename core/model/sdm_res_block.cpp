#include "core/model/sdm_res_block.h"

#include <torch/torch.h>

namespace sdm {

SdmResBlockImpl::SdmResBlockImpl(const SdmResBlockOptions& o)
    : layers_(o.block),
      in_norm_(o.block.channels, o.label_channels, o.spade_hidden, o.spade_kernel),
      out_norm_(o.block.out_channels, o.label_channels, o.spade_hidden, o.spade_kernel) {
  using namespace torch::nn;
  register_module("in_norm", in_norm_);
  register_module("in_layers", Sequential(SiLU(), layers_.in_conv));
  register_module("emb_layers", Sequential(SiLU(), layers_.emb_linear));
  register_module("out_norm", out_norm_);
  register_module("out_layers", Sequential(SiLU(), layers_.dropout, layers_.out_conv));
  if (layers_.skip) register_module("skip_connection", layers_.skip);
}

torch::Tensor SdmResBlockImpl::forward(const torch::Tensor& x, const torch::Tensor& emb, LabelConditioning& labels) {
  return layers_.forward(x, emb, [&](const torch::Tensor& h, const NormEpilogue& e) { return in_norm_(h, labels, e); },
                         [&](const torch::Tensor& h, const NormEpilogue& e) { return out_norm_(h, labels, e); });
}

}  // namespace sdm
