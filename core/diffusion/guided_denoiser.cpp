#include "core/diffusion/guided_denoiser.h"

#include "core/base/device.h"
#include "core/base/error.h"

#include <torch/torch.h>

namespace sdm {

bool batches_guidance_passes(const UNetModel& model, const c10::Device& device) {
  if (!device.is_cpu()) return true;
  int64_t parameters = 0;
  for (const auto& p : model->parameters()) parameters += p.numel();
  // A released-size network's batch-1 layers keep the threads busy already and hold half the
  // activations; a small one's are too small to (benchmarks/README.md has both measured).
  return parameters < kReleasedSizeParameters;
}

GuidedDenoiser::GuidedDenoiser(UNetModel model, const torch::Tensor& labels, double guidance, bool cache_modulation,
                               const torch::Tensor& low_res, Batching batching)
    : model_(std::move(model)),
      guidance_(guidance),
      batch_(labels.size(0)),
      batched_(batching == Batching::ForDevice ? batches_guidance_passes(model_, labels.device()) : batching == Batching::Batched),
      shares_encoding_(batching == Batching::Batched || !labels.device().is_cpu()) {
  const bool guided = guidance != 1.0;
  if (batched_) {
    conditions_.emplace_back(labels, cache_modulation, guided ? batch_ : 0);
    low_res_ = low_res;
    return;
  }
  for (int64_t i = 0; i < batch_; ++i) conditions_.emplace_back(labels.narrow(0, i, 1), cache_modulation);
  if (guided) unconditional_.emplace(labels.narrow(0, 0, 0), cache_modulation, 1);
  low_res_ = low_res;
}

void GuidedDenoiser::set_feature_reuse(FeatureReuse reuse) {
  if (reuse.interval < 1) throw Error("deep feature reuse interval " + std::to_string(reuse.interval) + " must be at least 1");
  reuse_ = reuse;
  const size_t forwards = batched_ ? 1 : (unconditional_ ? 2 : 1) * batch_;
  deep_features_.assign(reuse.enabled() ? forwards : 0, DeepFeatureCache{reuse.depth_in(model_->config())});
  reused_in_a_row_ = 0;
}

int64_t GuidedDenoiser::cached_bytes() const {
  int64_t bytes = unconditional_ ? unconditional_->cached_bytes() : 0;
  for (const auto& c : conditions_) bytes += c.cached_bytes();
  for (const auto& d : deep_features_) bytes += d.bytes();
  return bytes;
}

torch::Tensor GuidedDenoiser::operator()(const torch::Tensor& x, int64_t timestep) {
  auto timesteps = [&](int64_t count) {
    return torch::full({count}, timestep, torch::TensorOptions().dtype(torch::kLong).device(x.device()));
  };
  auto combine = [&](const torch::Tensor& cond, const torch::Tensor& uncond) {
    const auto eps_cond = cond.narrow(1, 0, 3), eps_uncond = uncond.narrow(1, 0, 3);
    auto eps = eps_uncond + guidance_ * (eps_cond - eps_uncond);
    return cond.size(1) > 3 ? torch::cat({eps, cond.narrow(1, 3, cond.size(1) - 3)}, 1) : eps;
  };
  const bool reuse = reuse_.enabled() && timestep < previous_timestep_ && reused_in_a_row_ + 1 < reuse_.interval;
  reused_in_a_row_ = reuse ? reused_in_a_row_ + 1 : 0;
  previous_timestep_ = timestep;
  for (auto& d : deep_features_) d.reuse = reuse;
  auto deep_features = [&](size_t forward) { return deep_features_.empty() ? nullptr : &deep_features_[forward]; };

  // The encoder never sees the label map: each picture is encoded once for both passes. Except
  // batched for a CPU (Batching::ForDevice), where oneDNN picks its convolution algorithm by
  // batch size and only the doubled batch (always even) keeps a variation the same bits alone and
  // in a batch (cli.cascade: with the encoder at batch 1 against 2, it was not).
  const bool guided = guidance_ != 1.0;
  if (batched_) {
    const bool doubled = guided && !shares_encoding_;
    const auto input = doubled ? torch::cat({x, x}) : x;
    const auto low_res = doubled && low_res_.defined() ? torch::cat({low_res_, low_res_}) : low_res_;
    const auto output = model_->decode(model_->encode(input, timesteps(input.size(0)), low_res, deep_features(0)),
                                       conditions_.front(), deep_features(0));
    return guided ? combine(output.narrow(0, 0, batch_), output.narrow(0, batch_, batch_)) : output;
  }
  std::vector<torch::Tensor> pictures;
  const size_t passes = guided ? 2 : 1;
  for (int64_t i = 0; i < batch_; ++i) {
    const auto low_res = low_res_.defined() ? low_res_.narrow(0, i, 1) : low_res_;
    auto encoding = model_->encode(x.narrow(0, i, 1), timesteps(1), low_res, deep_features(passes * i));
    if (!guided) {
      pictures.push_back(model_->decode(std::move(encoding), conditions_[i], deep_features(passes * i)));
      continue;
    }
    // The conditional pass decodes a copy, which keeps the skips for the unconditional one.
    const auto cond = model_->decode(encoding, conditions_[i], deep_features(passes * i));
    pictures.push_back(combine(cond, model_->decode(std::move(encoding), *unconditional_, deep_features(passes * i + 1))));
  }
  return torch::cat(pictures);
}

}  // namespace sdm
