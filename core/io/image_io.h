#pragma once

#include "core/io/image_file.h"

#include <opencv2/core/mat.hpp>
#include <torch/types.h>

namespace sdm {

// 8-bit RGB [H, W, 3] → float [3, H, W] in [-1, 1].
torch::Tensor rgb_to_tensor(const cv::Mat& rgb);
// [3, H, W] in [-1, 1] → 8-bit RGB, round((x + 1)·127.5) clamped, as the reference saves images.
cv::Mat tensor_to_rgb(const torch::Tensor& image);

}  // namespace sdm
