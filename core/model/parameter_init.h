#pragma once

#include <torch/types.h>

namespace sdm {

// How the U-Net's convolutions and linear layers fill their new parameters. By default as
// torch::nn's modules do (kaiming-uniform weights, fan-in-bounded biases, drawn from the global
// generator in the same order), so a freshly built model is what it was with torch::nn's layers.
// While a SkipParameterInit is alive on this thread they are left uninitialised: a model whose
// every weight is about to be read from a checkpoint would otherwise spend seconds drawing
// hundreds of millions of random numbers it throws away (the released configurations).
class SkipParameterInit {
public:
  SkipParameterInit();
  ~SkipParameterInit();
  SkipParameterInit(const SkipParameterInit&) = delete;
  SkipParameterInit& operator=(const SkipParameterInit&) = delete;

  static bool active();

private:
  bool was_active_;
};

// weight [out, in, k…] and bias [out] (or undefined) as torch::nn's default reset_parameters().
void init_default_parameters(torch::Tensor& weight, torch::Tensor& bias);
// Zeroes both (the reference's zero_module: a layer that starts as "no contribution").
void init_zero_parameters(torch::Tensor& weight, torch::Tensor& bias);

}  // namespace sdm
