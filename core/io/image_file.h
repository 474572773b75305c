#pragma once

#include <opencv2/core/mat.hpp>

#include <filesystem>

namespace sdm {

// Image files, with errors that name the file. No LibTorch here: the app opens photos and maps with these.

// An image file as 8-bit RGB (alpha dropped, grey expanded). Throws sdm::Error naming the file.
cv::Mat read_rgb_image(const std::filesystem::path& path);
// An image file as stored: 1 channel (8 or 16 bit) or 3 (RGB order). Throws sdm::Error naming the file.
cv::Mat read_image_unchanged(const std::filesystem::path& path);

// Writes a PNG atomically (8-bit RGB or single-channel 8/16-bit). Throws sdm::Error naming the file.
void write_png(const std::filesystem::path& path, const cv::Mat& image);

}  // namespace sdm
