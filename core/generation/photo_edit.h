#pragma once

#include <opencv2/core/mat.hpp>

namespace sdm {

// A photo prepared for masked regeneration at the model's size.
struct PhotoEdit {
  cv::Mat photo;       // full-resolution 8-bit RGB, as given
  cv::Mat mask;        // full resolution, 8-bit, 255 = regenerate
  cv::Mat model_photo; // photo at the model's size (area-averaged)
  cv::Mat model_mask;  // 8-bit at the model's size: 255 wherever any full-resolution pixel under it is masked
};

// Checks the photo has the model's aspect ratio and the mask the photo's size (or its aspect
// ratio: then it is scaled with nearest neighbour), and makes the model-size versions. Errors
// (sdm::Error) name both sizes.
PhotoEdit prepare_photo_edit(const cv::Mat& photo, const cv::Mat& mask, int height, int width);

// Writes the model-size result back into the full-resolution photo: inside the mask the upscaled
// result, blended into the photo over `feather` pixels outside it; beyond that, the photo's own
// pixels, unchanged.
cv::Mat composite_photo_edit(const PhotoEdit& edit, const cv::Mat& model_result, int feather);

// The whole photo with `patch` (a composite of the part at `region`, its size) written over that part.
cv::Mat paste_photo_region(const cv::Mat& photo, const cv::Mat& patch, const cv::Rect& region);

}  // namespace sdm
