#pragma once

#include <nlohmann/json.hpp>
#include <torch/types.h>

#include <cstdint>
#include <vector>

namespace sdm {

// Dynamic loss scaling for fp16 training, as the reference's MixedPrecisionTrainer and
// torch.cuda.amp.GradScaler do: the loss is multiplied by a large scale so that small gradients
// survive fp16, and the gradients divided by it before clipping and the optimizer step. A step
// whose gradients overflow is skipped and the scale halved; after `growth_interval` good steps in
// a row it doubles.
class LossScaler {
public:
  explicit LossScaler(double scale = 65536.0, int64_t growth_interval = 2000);
  torch::Tensor scale(const torch::Tensor& loss) const;
  // Divides the gradients by the scale and updates it; false when some gradient is not finite
  // (then the step must be skipped).
  bool unscale(const std::vector<torch::Tensor>& parameters);
  double value() const { return scale_; }

  // For the saved training state, so that a resumed run continues exactly.
  nlohmann::json state() const;
  void restore(const nlohmann::json& state);

private:
  double scale_;
  int64_t growth_interval_;
  int64_t good_steps_ = 0;
};

}  // namespace sdm
