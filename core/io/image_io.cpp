#include "core/io/image_io.h"

#include <torch/torch.h>

#include <cstring>

namespace sdm {

torch::Tensor rgb_to_tensor(const cv::Mat& rgb) {
  cv::Mat continuous = rgb.isContinuous() ? rgb : rgb.clone();
  auto tensor = torch::from_blob(continuous.data, {continuous.rows, continuous.cols, 3}, torch::kUInt8).clone();
  return tensor.permute({2, 0, 1}).to(torch::kFloat).div(127.5).sub(1.0).contiguous();
}

cv::Mat tensor_to_rgb(const torch::Tensor& image) {
  auto bytes = ((image.detach().to(torch::kCPU, torch::kFloat) + 1) * 127.5 + 0.5).floor().clamp(0, 255)
                   .to(torch::kUInt8).permute({1, 2, 0}).contiguous();
  cv::Mat rgb(static_cast<int>(bytes.size(0)), static_cast<int>(bytes.size(1)), CV_8UC3);
  std::memcpy(rgb.data, bytes.data_ptr(), static_cast<size_t>(bytes.numel()));
  return rgb;
}

}  // namespace sdm
