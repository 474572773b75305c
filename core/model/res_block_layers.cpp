#include "core/model/res_block_layers.h"

#include "core/model/downsample.h"
#include "core/model/upsample.h"

#include <torch/torch.h>

namespace sdm {

namespace {
torch::Tensor apply_resample(const torch::Tensor& x, Resample resample) {
  switch (resample) {
    case Resample::Up: return upsample_nearest2x(x);
    case Resample::Down: return downsample_avg2x(x);
    case Resample::None: break;
  }
  return x;
}
}  // namespace

ResBlockLayers::ResBlockLayers(const ResBlockOptions& o)
    : options(o),
      in_conv(same_conv2d(o.channels, o.out_channels, 3)),
      out_conv(same_conv2d(o.out_channels, o.out_channels, 3)),
      emb_linear(o.emb_channels, o.use_scale_shift_norm ? 2 * o.out_channels : o.out_channels),
      dropout(o.dropout) {
  if (o.out_channels != o.channels) skip = same_conv2d(o.channels, o.out_channels, 1);
  // As the reference (zero_module): a new block starts as the identity, which keeps deep U-Nets
  // stable early in training.
  out_conv->zero_init();
}

torch::Tensor ResBlockLayers::forward(const torch::Tensor& x, const torch::Tensor& emb, const Norm& in_norm,
                                      const Norm& out_norm) {
  // Without a graph to record, every temporary here is a fresh tensor nobody else holds: updated
  // in place, a 256² block holds two activations fewer at its peak.
  const bool in_place = !torch::GradMode::is_enabled();
  // Resampling sits between the activation and the conv, so the conv runs at the new size.
  auto h = in_conv(apply_resample(in_norm(x, {.silu = true}), options.resample));
  auto emb_out = emb_linear(torch::silu(emb)).to(h.scalar_type());
  if (options.use_scale_shift_norm) {
    // 1 + scale in the activations' dtype, as the reference rounds it, whichever path applies it.
    auto scale_shift = emb_out.chunk(2, 1);
    h = out_norm(h, {(1 + scale_shift[0]).to(torch::kFloat), scale_shift[1].to(torch::kFloat), true});
  } else {
    const auto bias = emb_out.unsqueeze(-1).unsqueeze(-1);
    h = out_norm(in_place ? h.add_(bias) : h + bias, {.silu = true});
  }
  h = out_conv(dropout(h));
  const auto skip_input = apply_resample(x, options.resample);
  const auto residual = skip ? skip(skip_input) : skip_input;
  return in_place ? h.add_(residual) : residual + h;
}

}  // namespace sdm
