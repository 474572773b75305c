#include "core/model/attention_block.h"

#include "core/base/serial_blas.h"

#include <torch/torch.h>

#include <ATen/Parallel.h>

#include <algorithm>
#include <cmath>

namespace sdm {

namespace {

// From this many positions on, inference attends a block of queries at a time (below, the
// weights fit in cache anyway).
constexpr int64_t kBlockedFrom = 256;
constexpr int64_t kQueryBlock = 128;

// softmax(qᵀk) applied to v, for q, k, v of shape [B·H, C, T]; the reference's order of operations.
torch::Tensor attend(const torch::Tensor& q, const torch::Tensor& k, const torch::Tensor& v) {
  auto weight = torch::bmm(q.transpose(1, 2), k);  // [B·H, T, S]
  weight = torch::softmax(weight.to(torch::kFloat), -1).to(weight.scalar_type());
  return torch::bmm(v, weight.transpose(1, 2));
}

// The same result, one block of queries of one head at a time, blocks spread over the threads.
// At 32² positions the whole weight tensor outgrows the cache: written by the
// product, read and written by the softmax, read again by the second product, it makes attention
// memory-bound on a CPU. A block's weights (128 × S) stay in the core's cache through all three.
// Inference only: the blocks are written into one preallocated output.
torch::Tensor attend_in_blocks(const torch::Tensor& q, const torch::Tensor& k, const torch::Tensor& v) {
  const int64_t heads = q.size(0), channels = q.size(1), length = q.size(2);
  const auto queries = q.transpose(1, 2).contiguous();  // [B·H, T, C]
  const auto values = v.transpose(1, 2).contiguous();   // [B·H, S, C]
  const auto keys = k.contiguous();
  auto attended = torch::empty({heads, length, channels}, q.options());
  const int64_t blocks = (length + kQueryBlock - 1) / kQueryBlock;
  SerialBlas serial_blas;
  at::parallel_for(0, heads * blocks, 1, [&](int64_t begin, int64_t end) {
    for (int64_t i = begin; i < end; ++i) {
      const int64_t head = i / blocks, first = (i % blocks) * kQueryBlock;
      const int64_t rows = std::min(kQueryBlock, length - first);
      auto weight = torch::mm(queries[head].narrow(0, first, rows), keys[head]);  // [rows, S]
      weight = torch::softmax(weight.to(torch::kFloat), -1).to(weight.scalar_type());
      auto out = attended[head].narrow(0, first, rows);
      torch::mm_out(out, weight, values[head]);
    }
  });
  return attended.transpose(1, 2);
}

}  // namespace

AttentionBlockImpl::AttentionBlockImpl(int64_t channels, int64_t heads, bool legacy_order)
    : heads_(heads),
      legacy_order_(legacy_order),
      norm_(register_module("norm", GroupNorm32(channels))),
      qkv_(register_module("qkv", Convolution(ConvolutionOptions{1, channels, channels * 3, 1}))),
      proj_out_(register_module("proj_out", Convolution(ConvolutionOptions{1, channels, channels, 1}))) {
  proj_out_->zero_init();  // the block starts as the identity
}

torch::Tensor AttentionBlockImpl::forward(const torch::Tensor& x) {
  const auto batch = x.size(0), channels = x.size(1);
  auto flat = x.reshape({batch, channels, -1});
  const auto length = flat.size(2);
  auto qkv = qkv_(norm_(flat));

  const int64_t head_channels = channels / heads_;
  torch::Tensor q, k, v;
  if (legacy_order_) {
    auto parts = qkv.reshape({batch * heads_, head_channels * 3, length}).split(head_channels, 1);
    q = parts[0], k = parts[1], v = parts[2];
  } else {
    auto parts = qkv.chunk(3, 1);
    q = parts[0].reshape({batch * heads_, head_channels, length});
    k = parts[1].reshape({batch * heads_, head_channels, length});
    v = parts[2].reshape({batch * heads_, head_channels, length});
  }
  // Scaling q and k by ch^-1/4 each, rather than the product by ch^-1/2, is steadier in fp16.
  const double scale = 1.0 / std::sqrt(std::sqrt(static_cast<double>(head_channels)));
  q = q * scale, k = k * scale;
  const bool blocked = !torch::GradMode::is_enabled() && x.device().is_cpu() && length >= kBlockedFrom;
  auto attended = (blocked ? attend_in_blocks(q, k, v) : attend(q, k, v)).reshape({batch, channels, length});
  // Back in the layout the block was given (a reshape of channels-last activations copies them).
  return (flat + proj_out_(attended)).reshape(x.sizes()).contiguous(x.suggest_memory_format());
}

}  // namespace sdm
