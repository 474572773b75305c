#include "core/generation/photo_edit.h"

#include "core/base/error.h"

#include <opencv2/imgproc.hpp>

namespace sdm {

namespace {
std::string size_text(const cv::Mat& m) { return std::to_string(m.cols) + "x" + std::to_string(m.rows); }
}  // namespace

PhotoEdit prepare_photo_edit(const cv::Mat& photo, const cv::Mat& mask, int height, int width) {
  if (static_cast<int64_t>(photo.rows) * width != static_cast<int64_t>(photo.cols) * height)
    throw Error("the photo is " + size_text(photo) + " but the model's aspect ratio is " + std::to_string(width) + "x" +
                std::to_string(height) + ": crop the photo to it");
  PhotoEdit edit;
  edit.photo = photo;
  cv::Mat grey = mask;
  if (mask.channels() == 3) cv::cvtColor(mask, grey, cv::COLOR_RGB2GRAY);
  if (grey.depth() != CV_8U) grey.convertTo(grey, CV_8U, 1.0 / 257.0);
  if (grey.size() != photo.size()) {
    if (static_cast<int64_t>(grey.rows) * photo.cols != static_cast<int64_t>(grey.cols) * photo.rows)
      throw Error("the mask is " + size_text(grey) + " but the photo is " + size_text(photo));
    cv::resize(grey, grey, photo.size(), 0, 0, cv::INTER_NEAREST_EXACT);
  }
  cv::threshold(grey, edit.mask, 127, 255, cv::THRESH_BINARY);
  if (cv::countNonZero(edit.mask) == 0) throw Error("the mask is empty: paint white where the photo should change");

  const cv::Size model_size(width, height);
  cv::resize(photo, edit.model_photo, model_size, 0, 0, photo.cols >= width ? cv::INTER_AREA : cv::INTER_CUBIC);
  // Area-averaging then thresholding at > 0 grows the mask to every model pixel that touches it.
  cv::Mat coverage;
  cv::resize(edit.mask, coverage, model_size, 0, 0, cv::INTER_AREA);
  cv::threshold(coverage, edit.model_mask, 0, 255, cv::THRESH_BINARY);
  return edit;
}

cv::Mat composite_photo_edit(const PhotoEdit& edit, const cv::Mat& model_result, int feather) {
  cv::Mat upscaled;
  cv::resize(model_result, upscaled, edit.photo.size(), 0, 0, cv::INTER_CUBIC);
  // Blend weight: 1 in the mask, falling linearly to 0 at `feather` pixels from it.
  cv::Mat weight;
  if (feather > 0) {
    cv::Mat outside = 255 - edit.mask, distance;
    cv::distanceTransform(outside, distance, cv::DIST_L2, cv::DIST_MASK_PRECISE);
    weight = 1.0 - distance / static_cast<double>(feather);
    cv::max(weight, 0.0, weight);
  } else {
    edit.mask.convertTo(weight, CV_32F, 1.0 / 255.0);
  }
  cv::Mat result = edit.photo.clone();
  for (int y = 0; y < result.rows; ++y)
    for (int x = 0; x < result.cols; ++x) {
      const float w = weight.at<float>(y, x);
      if (w <= 0.0f) continue;  // untouched: the photo's own bytes
      auto& out = result.at<cv::Vec3b>(y, x);
      const auto& gen = upscaled.at<cv::Vec3b>(y, x);
      for (int c = 0; c < 3; ++c) out[c] = cv::saturate_cast<uchar>(w * gen[c] + (1.0f - w) * out[c]);
    }
  return result;
}

cv::Mat paste_photo_region(const cv::Mat& photo, const cv::Mat& patch, const cv::Rect& region) {
  cv::Mat whole = photo.clone();
  patch.copyTo(whole(region));
  return whole;
}

}  // namespace sdm
