#pragma once

#include <torch/nn/module.h>
#include <torch/nn/modules/container/modulelist.h>
#include <torch/nn/modules/container/sequential.h>
#include <torch/nn/pimpl.h>

#include "core/model/convolution.h"
#include "core/model/deep_feature_cache.h"
#include "core/model/group_norm32.h"
#include "core/model/linear.h"
#include "core/model/model_config.h"
#include "core/model/timestep_embed_sequential.h"
#include "core/model/unet_encoding.h"

#include <vector>

namespace sdm {

// The SDM U-Net (the reference's UNetModel): the encoder sees the noisy image, the middle and
// decoder are SPADE-conditioned on the label map. With a low-res size in its config it is the
// reference's SuperResModel: the same network, whose first conv also sees the low-res picture. Parameter names equal the reference's
// state-dict keys, so its checkpoints load unchanged.
class UNetModelImpl : public torch::nn::Module {
public:
  explicit UNetModelImpl(const ModelConfig& config);

  // x: [N,3,H,W] noisy images, timesteps: [N] (original 0…999 indices), labels: [N, C, H, W] the
  // one-hot label map (+ instance edges), low_res: a super-resolution stage's [N, 3, h, w]
  // low-res pictures in [-1, 1] (undefined for a base model). Returns [N, 3 or 6, H, W]: ε, and
  // the variance interpolation values when learn_sigma.
  torch::Tensor forward(const torch::Tensor& x, const torch::Tensor& timesteps, const torch::Tensor& labels,
                        const torch::Tensor& low_res = {});
  // The same with the label map wrapped for SPADE's γ/β cache: sampling loops pass one
  // LabelConditioning to every step. With `deep_features`, the forward stores or reuses the
  // decoder's deep input (see DeepFeatureCache); its depth must be 1 … input_blocks().
  torch::Tensor forward(const torch::Tensor& x, const torch::Tensor& timesteps, LabelConditioning& labels,
                        const torch::Tensor& low_res = {}, DeepFeatureCache* deep_features = nullptr);

  // A forward's two halves, for a caller that decodes one encoding more than once (guidance's
  // passes): forward(x, t, labels, low_res, d) is decode(encode(x, t, low_res, d), labels, d).
  // With `deep_features` about to be reused, encode runs only the blocks a reusing forward needs.
  UNetEncoding encode(const torch::Tensor& x, const torch::Tensor& timesteps, const torch::Tensor& low_res = {},
                      const DeepFeatureCache* deep_features = nullptr);
  // Decodes under `labels`, whose batch is the encoding's or a multiple of it: each picture's
  // encoding then serves that many passes, in LabelConditioning's order (all the pictures under
  // their maps, then all under the null maps).
  torch::Tensor decode(UNetEncoding encoding, LabelConditioning& labels, DeepFeatureCache* deep_features = nullptr);

  // The encoder's blocks, each giving the decoder one skip: the depths a DeepFeatureCache can take.
  int input_blocks() const { return static_cast<int>(input_blocks_.size()); }
  // Throws sdm::Error unless `depth` is one of them.
  void check_deep_feature_depth(int depth) const;

  const ModelConfig& config() const { return config_; }
  // The dtype the encoder, middle and decoder compute in (see convert_torso).
  c10::ScalarType torso_dtype() const;

  // Half precision the reference's way (convert_to_fp16): the convolutions of the encoder, middle
  // and decoder run in `dtype`; the timestep embedding, the norms (computed in float32) and the
  // output head stay float32.
  void convert_torso(c10::ScalarType dtype);

  // The layout the network's activations and conv weights take. Channels-last suits a CPU:
  // oneDNN's bf16 convolutions run several times faster at 256² than in NCHW
  // (benchmarks/README.md), and the norms then run fused (see fused_group_norm).
  void set_memory_format(c10::MemoryFormat format);

private:
  ModelConfig config_;
  Linear time_embed_in_, time_embed_out_;
  std::vector<TimestepEmbedSequential> input_blocks_;
  TimestepEmbedSequential middle_block_;
  std::vector<TimestepEmbedSequential> output_blocks_;
  GroupNorm32 out_norm_;
  Convolution out_conv_;
  c10::MemoryFormat memory_format_ = c10::MemoryFormat::Contiguous;
};
TORCH_MODULE(UNetModel);

}  // namespace sdm
