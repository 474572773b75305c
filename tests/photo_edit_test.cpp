// Writing an edit back into a full-resolution photo: only the masked area (and its feather) changes.
#include "core/base/error.h"
#include "core/generation/photo_edit.h"

#include <doctest/doctest.h>
#include <opencv2/imgproc.hpp>

using namespace sdm;

namespace {
cv::Mat gradient_photo(int rows, int cols) {
  cv::Mat photo(rows, cols, CV_8UC3);
  for (int y = 0; y < rows; ++y)
    for (int x = 0; x < cols; ++x) photo.at<cv::Vec3b>(y, x) = cv::Vec3b(x % 256, y % 256, (x + y) % 256);
  return photo;
}
}  // namespace

TEST_CASE("outside the mask and its feather the result is the photo, byte for byte") {
  const auto photo = gradient_photo(128, 128);
  cv::Mat mask(128, 128, CV_8U, cv::Scalar(0));
  cv::circle(mask, {64, 64}, 20, cv::Scalar(255), cv::FILLED);
  const auto edit = prepare_photo_edit(photo, mask, 32, 32);
  CHECK(edit.model_photo.size() == cv::Size(32, 32));
  // The model-size mask covers every masked photo pixel.
  cv::Mat upscaled_mask;
  cv::resize(edit.model_mask, upscaled_mask, mask.size(), 0, 0, cv::INTER_NEAREST);
  CHECK(cv::countNonZero(mask & ~upscaled_mask) == 0);

  const cv::Mat generated(32, 32, CV_8UC3, cv::Scalar(10, 200, 30));
  for (int feather : {0, 6}) {
    const auto result = composite_photo_edit(edit, generated, feather);
    cv::Mat distance, outside = 255 - mask;
    cv::distanceTransform(outside, distance, cv::DIST_L2, cv::DIST_MASK_PRECISE);
    int changed_outside = 0, unchanged_inside = 0;
    for (int y = 0; y < 128; ++y)
      for (int x = 0; x < 128; ++x) {
        const bool same = result.at<cv::Vec3b>(y, x) == photo.at<cv::Vec3b>(y, x);
        if (distance.at<float>(y, x) >= std::max(feather, 1) && !same) ++changed_outside;
        if (mask.at<uchar>(y, x) && result.at<cv::Vec3b>(y, x) != cv::Vec3b(10, 200, 30)) ++unchanged_inside;
      }
    CHECK(changed_outside == 0);
    CHECK(unchanged_inside == 0);
  }
}

TEST_CASE("mismatched photo, mask and model sizes are errors naming the sizes") {
  const auto photo = gradient_photo(64, 96);
  cv::Mat mask(64, 96, CV_8U, cv::Scalar(255));
  CHECK_THROWS_WITH_AS(prepare_photo_edit(photo, mask, 32, 32), doctest::Contains("the photo is 96x64"), Error);
  cv::Mat small_mask(10, 10, CV_8U, cv::Scalar(255));
  CHECK_THROWS_WITH_AS(prepare_photo_edit(gradient_photo(64, 64), small_mask.colRange(0, 5), 32, 32),
                       doctest::Contains("the mask is 5x10 but the photo is 64x64"), Error);
  CHECK_THROWS_WITH_AS(prepare_photo_edit(gradient_photo(64, 64), cv::Mat(64, 64, CV_8U, cv::Scalar(0)), 32, 32),
                       doctest::Contains("the mask is empty"), Error);
}
