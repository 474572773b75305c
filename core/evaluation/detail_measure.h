#pragma once

#include <torch/types.h>

namespace sdm {

// How much of a picture lies above the band a `low_height` × `low_width` picture can hold: the
// share of its energy (variance about its mean) left after area-downsampling it to that size
// and bilinearly up-sampling back, ‖x − up(down(x))‖² / ‖x − mean‖², per picture of
// [N, 3, H, W] → [N]. A bilinearly enlarged low-res picture scores ≈ 0; pictures with texture,
// edges and small objects score more. The sizes must divide evenly.
torch::Tensor detail_share(const torch::Tensor& images, int64_t low_height, int64_t low_width);

}  // namespace sdm
