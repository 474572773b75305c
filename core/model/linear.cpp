#include "core/model/linear.h"

#include "core/model/parameter_init.h"

#include <torch/torch.h>

namespace sdm {

LinearImpl::LinearImpl(int64_t in_features, int64_t out_features)
    : weight(register_parameter("weight", torch::empty({out_features, in_features}))),
      bias(register_parameter("bias", torch::empty({out_features}))) {
  init_default_parameters(weight, bias);
}

torch::Tensor LinearImpl::forward(const torch::Tensor& x) { return torch::linear(x, weight, bias); }

}  // namespace sdm
