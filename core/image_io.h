#pragma once

#include <torch/types.h>
#include <opencv2/core/mat.hpp>

#include <filesystem>

namespace sdm {

// An image file as 8-bit RGB (alpha dropped, grey expanded). Throws sdm::Error naming the file.
cv::Mat read_rgb_image(const std::filesystem::path& path);
// An image file as stored: 1 channel (8 or 16 bit) or 3 (RGB order). Throws sdm::Error naming the file.
cv::Mat read_image_unchanged(const std::filesystem::path& path);

// 8-bit RGB [H, W, 3] → float [3, H, W] in [-1, 1].
torch::Tensor rgb_to_tensor(const cv::Mat& rgb);
// [3, H, W] in [-1, 1] → 8-bit RGB, round((x + 1)·127.5) clamped, as the reference saves images.
cv::Mat tensor_to_rgb(const torch::Tensor& image);

// Writes a PNG atomically (8-bit RGB or single-channel 8/16-bit). Throws sdm::Error naming the file.
void write_png(const std::filesystem::path& path, const cv::Mat& image);

}  // namespace sdm
