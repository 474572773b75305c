#pragma once

#include <QImage>

#include <opencv2/core/mat.hpp>

namespace sdm::ui {

// QImage ↔ OpenCV, for the app's calls into the core and OpenCV. Grayscale8 ↔ CV_8UC1,
// RGB888 ↔ CV_8UC3 (RGB order, as the core keeps colour images).

// A matrix sharing the image's pixels: valid while the image lives, written through when the image is.
cv::Mat matView(const QImage& image);
// An image owning a copy of the matrix's pixels.
QImage imageCopy(const cv::Mat& mat);

}  // namespace sdm::ui
