#include "core/model/unet_model.h"

#include "core/base/error.h"
#include "core/model/attention_block.h"
#include "core/model/downsample.h"
#include "core/model/res_block.h"
#include "core/model/sdm_res_block.h"
#include "core/model/timestep_embedding.h"
#include "core/model/upsample.h"

#include <torch/torch.h>

#include <algorithm>

namespace sdm {

UNetModelImpl::UNetModelImpl(const ModelConfig& config)
    : config_(config),
      time_embed_in_(config.num_channels, config.time_embed_dim()),
      time_embed_out_(config.time_embed_dim(), config.time_embed_dim()),
      out_norm_(config.channel_mult.front() * config.num_channels),
      out_conv_(same_conv2d(config.channel_mult.front() * config.num_channels, config.out_channels(), 3)) {
  config_.validate();
  const auto& c = config_;
  const int64_t emb_dim = c.time_embed_dim();
  const auto attention_rates = c.attention_downsample_rates();
  auto has_attention = [&](int rate) {
    return std::find(attention_rates.begin(), attention_rates.end(), rate) != attention_rates.end();
  };
  auto res_block = [&](int64_t in, int64_t out, Resample resample) {
    return ResBlock(ResBlockOptions{in, emb_dim, out, c.dropout, c.use_scale_shift_norm, resample});
  };
  auto sdm_res_block = [&](int64_t in, int64_t out, Resample resample) {
    return SdmResBlock(SdmResBlockOptions{{in, emb_dim, out, c.dropout, c.use_scale_shift_norm, resample},
                                          c.condition_channels(), c.spade_hidden, c.spade_kernel});
  };
  auto attention = [&](int64_t channels, bool decoder) {
    return AttentionBlock(channels, c.heads_for(static_cast<int>(channels), decoder), !c.use_new_attention_order);
  };

  register_module("time_embed", torch::nn::Sequential(time_embed_in_, torch::nn::SiLU(), time_embed_out_));

  // Encoder.
  auto input_list = torch::nn::ModuleList();
  auto add_input = [&](TimestepEmbedSequential block) {
    input_list->push_back(block);
    input_blocks_.push_back(block);
  };
  int64_t ch = c.channel_mult.front() * c.num_channels;
  {
    TimestepEmbedSequential conv_in;
    conv_in->push_back(same_conv2d(c.in_channels(), ch, 3));
    add_input(conv_in);
  }
  std::vector<int64_t> skip_channels{ch};
  int rate = 1;
  const int levels = static_cast<int>(c.channel_mult.size());
  for (int level = 0; level < levels; ++level) {
    const int64_t level_ch = c.channel_mult[level] * c.num_channels;
    for (int i = 0; i < c.num_res_blocks; ++i) {
      TimestepEmbedSequential block;
      block->push_back(res_block(ch, level_ch, Resample::None));
      ch = level_ch;
      if (has_attention(rate)) block->push_back(attention(ch, false));
      add_input(block);
      skip_channels.push_back(ch);
    }
    if (level != levels - 1) {
      TimestepEmbedSequential down;
      if (c.resblock_updown)
        down->push_back(res_block(ch, ch, Resample::Down));
      else
        down->push_back(Downsample(ch));
      add_input(down);
      skip_channels.push_back(ch);
      rate *= 2;
    }
  }
  register_module("input_blocks", input_list);

  middle_block_->push_back(sdm_res_block(ch, ch, Resample::None));
  middle_block_->push_back(attention(ch, false));
  middle_block_->push_back(sdm_res_block(ch, ch, Resample::None));
  register_module("middle_block", middle_block_);

  // Decoder: each block takes the previous output concatenated with one encoder skip.
  auto output_list = torch::nn::ModuleList();
  for (int level = levels - 1; level >= 0; --level) {
    const int64_t level_ch = c.channel_mult[level] * c.num_channels;
    for (int i = 0; i <= c.num_res_blocks; ++i) {
      const int64_t skip_ch = skip_channels.back();
      skip_channels.pop_back();
      TimestepEmbedSequential block;
      block->push_back(sdm_res_block(ch + skip_ch, level_ch, Resample::None));
      ch = level_ch;
      if (has_attention(rate)) block->push_back(attention(ch, true));
      if (level > 0 && i == c.num_res_blocks) {
        if (c.resblock_updown)
          block->push_back(sdm_res_block(ch, ch, Resample::Up));
        else
          block->push_back(Upsample(ch));
        rate /= 2;
      }
      output_list->push_back(block);
      output_blocks_.push_back(block);
    }
  }
  register_module("output_blocks", output_list);

  register_module("out", torch::nn::Sequential(out_norm_, torch::nn::SiLU(), out_conv_));
  out_conv_->zero_init();  // a new model predicts zero
}

void UNetModelImpl::convert_torso(c10::ScalarType dtype) {
  for (const auto& prefix : {"input_blocks", "middle_block", "output_blocks"})
    for (const auto& module : named_children()[prefix]->modules())
      if (module->as<Convolution>()) module->to(dtype);
}

void UNetModelImpl::set_memory_format(c10::MemoryFormat format) {
  torch::NoGradGuard no_grad;
  for (auto& parameter : parameters())
    if (parameter.dim() == 4) parameter.set_data(parameter.contiguous(format));
  memory_format_ = format;
}

c10::ScalarType UNetModelImpl::torso_dtype() const { return input_blocks_.front()->parameters().front().scalar_type(); }

torch::Tensor UNetModelImpl::forward(const torch::Tensor& x, const torch::Tensor& timesteps, const torch::Tensor& labels,
                                     const torch::Tensor& low_res) {
  LabelConditioning uncached(labels, false);
  return forward(x, timesteps, uncached, low_res);
}

void UNetModelImpl::check_deep_feature_depth(int depth) const {
  if (depth < 1 || depth > input_blocks())
    throw Error("deep feature reuse depth " + std::to_string(depth) + " is out of range: this network has " +
                std::to_string(input_blocks()) + " skip levels");
}

namespace {

bool reuses(const DeepFeatureCache* deep_features) {
  return deep_features && deep_features->reuse && deep_features->features.defined();
}

// `t` once for every pass that shares it, along the batch: [t; t; …].
torch::Tensor repeat_for_passes(const torch::Tensor& t, int64_t passes) {
  return passes == 1 ? t : torch::cat(std::vector<torch::Tensor>(passes, t));
}

}  // namespace

torch::Tensor UNetModelImpl::forward(const torch::Tensor& x, const torch::Tensor& timesteps, LabelConditioning& conditioning,
                                     const torch::Tensor& low_res, DeepFeatureCache* deep_features) {
  return decode(encode(x, timesteps, low_res, deep_features), conditioning, deep_features);
}

UNetEncoding UNetModelImpl::encode(const torch::Tensor& x, const torch::Tensor& timesteps, const torch::Tensor& low_res,
                                   const DeepFeatureCache* deep_features) {
  const auto& c = config_;
  if (x.dim() != 4 || x.size(1) != 3 || timesteps.dim() != 1 || timesteps.size(0) != x.size(0))
    throw Error("model input shapes do not fit: x " + c10::str(x.sizes()) + ", timesteps " + c10::str(timesteps.sizes()));
  if (c.super_resolution() != low_res.defined())
    throw Error(c.super_resolution() ? "a super-resolution stage needs the low-res picture"
                                     : "a base model takes no low-res picture (it is not a super-resolution stage)");
  if (low_res.defined() && (low_res.dim() != 4 || low_res.size(0) != x.size(0) || low_res.size(1) != 3))
    throw Error("low-res pictures " + c10::str(low_res.sizes()) + " do not fit images " + c10::str(x.sizes()));
  const int64_t factor = int64_t{1} << (c.channel_mult.size() - 1);
  if (x.size(2) % factor || x.size(3) % factor)
    throw Error("image size " + std::to_string(x.size(2)) + "x" + std::to_string(x.size(3)) +
                " is not divisible by the U-Net's down-sampling factor " + std::to_string(factor));
  if (deep_features) check_deep_feature_depth(deep_features->depth);

  UNetEncoding encoding;
  encoding.output_dtype = x.scalar_type();
  encoding.emb = time_embed_out_(torch::silu(time_embed_in_(timestep_embedding(timesteps, c.num_channels))));
  // The torso may run in half precision while the embedding and output head stay float32.
  auto h = x;
  if (low_res.defined()) {
    namespace F = torch::nn::functional;
    const auto options = F::InterpolateFuncOptions().size(std::vector<int64_t>{x.size(2), x.size(3)}).mode(torch::kBilinear).align_corners(false);
    h = torch::cat({x, F::interpolate(low_res.to(x.scalar_type()), options)}, 1);
  }
  h = h.to(torso_dtype()).contiguous(memory_format_);
  const int blocks = reuses(deep_features) ? deep_features->depth : input_blocks();
  encoding.skips.reserve(blocks);
  for (int i = 0; i < blocks; ++i) {
    h = input_blocks_[i]->forward(h, encoding.emb);
    encoding.skips.push_back(h);
  }
  return encoding;
}

torch::Tensor UNetModelImpl::decode(UNetEncoding encoding, LabelConditioning& conditioning, DeepFeatureCache* deep_features) {
  const auto& c = config_;
  const auto& labels = conditioning.labels();
  const int64_t pictures = encoding.batch();
  const auto& top = encoding.skips.front();
  if (labels.dim() != 4 || labels.size(1) != c.condition_channels() || labels.size(2) != top.size(2) ||
      labels.size(3) != top.size(3) || conditioning.batch() % pictures != 0)
    throw Error("label maps " + c10::str(labels.sizes()) + " (+" + std::to_string(conditioning.null_maps()) +
                " null maps) do not fit " + std::to_string(pictures) + " encoded " + std::to_string(top.size(2)) + "x" +
                std::to_string(top.size(3)) + " pictures (the model takes " + std::to_string(c.condition_channels()) +
                " label channels)");
  const int blocks = input_blocks();
  const bool reuse = reuses(deep_features);
  if (static_cast<int>(encoding.skips.size()) != (reuse ? deep_features->depth : blocks))
    throw Error("the encoding has " + std::to_string(encoding.skips.size()) + " skips where this decoding takes " +
                std::to_string(reuse ? deep_features->depth : blocks));
  const int64_t passes = conditioning.batch() / pictures;
  const auto emb = repeat_for_passes(encoding.emb, passes);
  auto& skips = encoding.skips;
  // Decoder block j takes skip blocks − 1 − j; the reused features enter block blocks − depth.
  const int shallow_from = deep_features ? blocks - deep_features->depth : blocks;
  auto h = reuse ? deep_features->features : middle_block_->forward(repeat_for_passes(skips.back(), passes), emb, conditioning);
  for (int j = reuse ? shallow_from : 0; j < blocks; ++j) {
    if (j == shallow_from && !reuse) deep_features->features = h;
    // The block's input first, so the previous output (and the skip, unless the caller keeps the
    // encoding for another pass) are freed before it runs.
    h = torch::cat({h, repeat_for_passes(skips.back(), passes)}, 1);
    skips.pop_back();
    h = output_blocks_[j]->forward(h, emb, conditioning);
  }
  return out_conv_(out_norm_->forward(h.to(encoding.output_dtype), {.silu = true})).contiguous();
}

}  // namespace sdm
