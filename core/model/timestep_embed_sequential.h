#pragma once

#include <torch/nn/module.h>
#include <torch/nn/pimpl.h>

#include "core/base/error.h"
#include "core/model/label_conditioning.h"

#include <functional>
#include <string>
#include <vector>

namespace sdm {

// The reference's TimestepEmbedSequential: children named "0", "1", … (the state-dict names), each
// given what it takes — the timestep embedding and/or the label map — or just the activations.
class TimestepEmbedSequentialImpl : public torch::nn::Module {
public:
  template <typename ModuleHolder>
  void push_back(ModuleHolder layer) {
    register_module(std::to_string(layers_.size()), layer.ptr());
    layers_.push_back([module = layer.ptr()](const torch::Tensor& x, const torch::Tensor& emb, LabelConditioning* labels) {
      if constexpr (requires { module->forward(x, emb, *labels); }) {
        if (!labels) throw Error("a SPADE-conditioned block was run without a label map");
        return module->forward(x, emb, *labels);
      } else if constexpr (requires { module->forward(x, emb); }) {
        return module->forward(x, emb);
      } else {
        return module->forward(x);
      }
    });
  }

  torch::Tensor forward(torch::Tensor x, const torch::Tensor& emb, LabelConditioning& labels);
  // For the encoder's blocks, which never see the label map.
  torch::Tensor forward(torch::Tensor x, const torch::Tensor& emb);

private:
  std::vector<std::function<torch::Tensor(const torch::Tensor&, const torch::Tensor&, LabelConditioning*)>> layers_;
};
TORCH_MODULE(TimestepEmbedSequential);

}  // namespace sdm
